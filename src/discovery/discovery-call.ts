import { Redactor } from '../util/redactor.js';
import type { DiscoveryKit } from './discovery-family.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from './discovery-limits.js';
import { type DiscoverySource, resolveDiscoverySource } from './discovery-source.js';
import type { DiscoveryConnection } from './readonly-session.js';
import { redactedDiscoveryError } from './redacted-error.js';

/**
 * Runs one public discovery call: resolves the connection, and makes sure nothing it throws
 * carries a secret of that connection.
 */
export function discoveryCall<T>(
  kit: DiscoveryKit,
  options: { projectDir: string; ref: string; env?: Record<string, string | undefined> },
  work: (source: DiscoverySource, redactor: Redactor) => Promise<T>,
): Promise<T> {
  return redactingCall(() => resolveDiscoverySource(kit, options), work);
}

/** Resolves a source, runs `work`, and scrubs the source's secrets from whatever either throws. */
export async function redactingCall<S extends { secrets: readonly string[] }, T>(
  resolve: () => S,
  work: (source: S, redactor: Redactor) => Promise<T>,
): Promise<T> {
  let redactor = new Redactor();
  try {
    const source = resolve();
    redactor = new Redactor([...source.secrets]);
    return await work(source, redactor);
  } catch (error) {
    throw redactedDiscoveryError(error, redactor);
  }
}

/** Opens the source read-only, runs `work`, and always closes the session. */
export async function withDiscoveryConnection<T>(
  source: DiscoverySource,
  options: { signal?: AbortSignal | undefined; statementTimeoutMs?: number },
  work: (connection: DiscoveryConnection) => Promise<T>,
): Promise<T> {
  const connection = await source.open({
    ...(options.signal ? { signal: options.signal } : {}),
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
  });
  try {
    return await work(connection);
  } finally {
    await connection.session.close();
  }
}
