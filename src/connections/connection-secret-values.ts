import { collectSecretValues, findMissingVariables, resolveConnection } from './resolve-connection.js';
import type { ConnectionsConfig } from './types.js';

/**
 * Every secret value the config's connections resolve to (those with unset variables are
 * skipped), so a command can scrub its whole output as a last line of defence.
 */
export function connectionSecretValues(
  config: ConnectionsConfig,
  secretNames: readonly string[] = [],
): string[] {
  const secrets = new Set<string>();
  for (const raw of config.connections) {
    if (findMissingVariables(raw, config.env).length > 0) continue;
    for (const value of collectSecretValues(resolveConnection(raw, config.env, { secretNames })))
      secrets.add(value);
  }
  return [...secrets];
}
