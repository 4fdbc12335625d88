import { findTemplates } from './env-template.js';
import { isSecretField } from './secret-fields.js';
import type { ConnectionsConfig } from './types.js';

export interface PlaintextSecret {
  /** `@family.alias` */
  ref: string;
  field: string;
  /** Line of the alias in the connections file, when known. */
  line?: number;
  /** The variable the `${VAR}` form could read, e.g. `POSTGRES_WAREHOUSE_PASSWORD`. */
  suggestedVariable: string;
}

/**
 * Secret fields (password, key, token, dsn, …) written as a literal value in the connections file
 * instead of `${VAR}`: the file is then a secret itself, easily committed or shared. Never returns
 * the values.
 */
export function findPlaintextSecrets(
  config: ConnectionsConfig,
  extraSecretNames: readonly string[] = [],
): PlaintextSecret[] {
  const found: PlaintextSecret[] = [];
  for (const raw of config.connections) {
    for (const [field, value] of Object.entries(raw.fields)) {
      if (typeof value !== 'string' || value === '' || !isSecretField(field, extraSecretNames)) continue;
      if (findTemplates(value).length > 0) continue;
      found.push({
        ref: `@${raw.family}.${raw.alias}`,
        field,
        ...(raw.line === undefined ? {} : { line: raw.line }),
        suggestedVariable: `${raw.family}_${raw.alias}_${field}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_'),
      });
    }
  }
  return found;
}
