import { createHash } from 'node:crypto';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/**
 * A copy of `value` with object keys sorted at every level and `undefined` members dropped, the
 * one shape every hash and build file is made from (dlt hashes schemas the same way).
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeysDeep(item)));
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new OsirisError(ErrorCodes.INTERNAL, `cannot write ${value} as JSON`, {
      hint: 'this is a bug in Osiris',
    });
  }
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
    throw new OsirisError(ErrorCodes.INTERNAL, `cannot write a ${typeof value} as JSON`, {
      hint: 'this is a bug in Osiris',
    });
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) sorted[key] = sortKeysDeep(record[key]);
    }
    return sorted;
  }
  return value;
}

/** Canonical JSON: sorted keys, no whitespace. Equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function fingerprint(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

/** The build-file form of canonical JSON: sorted keys, 2-space indent, trailing newline. */
export function formatCanonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}
