import type { ConnectionSummary } from '../spec/connection.js';
import { formatConnectionRef } from './connection-ref.js';
import { expandTemplates } from './env-template.js';
import { maskSecretFields } from './mask-secret-fields.js';
import type { RawConnection } from './types.js';

/**
 * What a fingerprint may hash: `{ alias, family, fields }` with secrets as `***` and `${VAR}`
 * templates unresolved, keys sorted at every level, so the same file always hashes the same.
 */
export function connectionMetadata(
  raw: RawConnection,
  extraSecretNames: readonly string[] = [],
): Record<string, unknown> {
  return sortKeys({
    family: raw.family,
    alias: raw.alias,
    fields: maskSecretFields(raw.fields, extraSecretNames),
  }) as Record<string, unknown>;
}

/**
 * A connection safe to print: secrets as `***`. With `env`, other values are shown resolved
 * (templates whose variable is unset stay as written); without it, as written in the file.
 */
export function summarizeConnection(
  raw: RawConnection,
  env?: Record<string, string | undefined>,
  extraSecretNames: readonly string[] = [],
): ConnectionSummary {
  const showString = env ? (text: string) => expandTemplates(text, env).value : undefined;
  return {
    family: raw.family,
    alias: raw.alias,
    ref: formatConnectionRef(raw.family, raw.alias),
    isDefault: raw.isDefault,
    fields: maskSecretFields(raw.fields, extraSecretNames, showString),
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
