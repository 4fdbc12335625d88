import { readFileSync } from 'node:fs';
import { OsirisError } from '../spec/errors.js';

/**
 * The shipped JSON Schema of component specs. It lives in `schemas/` (package data) and is found
 * relative to this module, which works from `src/` (tsx, vitest) and from `dist/` alike.
 */
const SCHEMA_URL = new URL('../../schemas/component-spec.schema.json', import.meta.url);

let cachedSchema: Record<string, unknown> | undefined;

export function componentSpecSchema(): Record<string, unknown> {
  if (cachedSchema) return cachedSchema;
  let text: string;
  try {
    text = readFileSync(SCHEMA_URL, 'utf8');
  } catch (error) {
    throw new OsirisError('E_INTERNAL', `Cannot read the component spec schema at ${SCHEMA_URL.pathname}`, {
      hint: 'the installation is incomplete: reinstall osiris-etl (the package ships schemas/).',
      cause: error,
    });
  }
  cachedSchema = JSON.parse(text) as Record<string, unknown>;
  return cachedSchema;
}
