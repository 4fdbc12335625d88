import { isSecretField, secretNamesFromSpecs } from '../connections/secret-fields.js';
import type { ComponentSpec } from '../spec/component.js';
import { isRecord } from './values.js';

/** `${VAR}`: a value read from the environment at run time, which is how a secret may appear in config. */
const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Paths (inside a step config) of secret keys that hold a literal value. A secret key is one the
 * spec lists in `secrets` or one whose name is a secret name (password, token, ...). Empty values
 * and `${VAR}` environment references are not secrets written into the pipeline.
 */
export function findInlineSecrets(
  spec: ComponentSpec,
  config: Record<string, unknown>,
): Array<Array<string | number>> {
  const extraNames = secretNamesFromSpecs([spec]);
  const pointers = new Set(spec.secrets);
  const found: Array<Array<string | number>> = [];
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) visit(item, [...path, index]);
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        const itemPath = [...path, key];
        if ((pointers.has(pointerOf(itemPath)) || isSecretField(key, extraNames)) && isLiteral(item))
          found.push(itemPath);
        else visit(item, itemPath);
      }
    }
  };
  visit(config, []);
  return found;
}

function isLiteral(value: unknown): boolean {
  // Booleans are flags (`leak_secret: true`), never a secret themselves; numbers can be (a PIN).
  if (typeof value === 'number') return true;
  if (typeof value !== 'string' || value.trim() === '') return false;
  // An unresolved `${params.x}` has been reported already; it is not a secret by itself.
  return !ENV_REFERENCE.test(value.trim()) && !value.includes('${params.');
}

function pointerOf(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
