import { ErrorCodes, OsirisError } from '../spec/errors.js';

/** Family names: lower case letters, digits and `_`, starting with a letter (as OML's connection pattern). */
export const FAMILY_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
/** Alias names: letters, digits, `_` and `-`; never `.`, which separates family and alias in a ref. */
export const ALIAS_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const REF_PATTERN = /^@([a-z][a-z0-9_]*)(?:\.([A-Za-z0-9_-]+))?$/;

/** `@mysql.movies` → `{ family: 'mysql', alias: 'movies' }`; `@mysql` → `{ family: 'mysql' }` (the default alias). */
export function parseConnectionRef(ref: string): { family: string; alias?: string } {
  const match = REF_PATTERN.exec(ref.trim());
  if (!match) {
    throw new OsirisError(ErrorCodes.USAGE, `Invalid connection reference "${ref}"`, {
      hint: 'write it as "@family.alias" (e.g. "@mysql.movies"), or "@family" for the default alias',
      details: { ref },
    });
  }
  const family = match[1] as string;
  return match[2] === undefined ? { family } : { family, alias: match[2] };
}

export function formatConnectionRef(family: string, alias: string): string {
  return `@${family}.${alias}`;
}
