import { collectSecretValues } from '../connections/index.js';
import { Redactor } from '../util/redactor.js';
import type { DiscoveryKit } from './discovery-family.js';
import { resolveEndpointSource } from './discovery-source.js';
import { redactedDiscoveryError } from './redacted-error.js';
import type { EndpointProfile } from './types.js';

export interface DiscoverEndpointOptions {
  projectDir: string;
  /** `@family.alias` of an API connection. */
  ref: string;
  env?: Record<string, string | undefined>;
  path: string;
  records?: string;
  samples: number;
  signal: AbortSignal;
}

/**
 * One page of an API path with its records' schema and samples. Never cached: an API has no
 * catalog to go stale, and one GET is cheap. Nothing it throws carries the connection's secrets.
 */
export async function discoverEndpoint(
  kit: DiscoveryKit,
  options: DiscoverEndpointOptions,
): Promise<EndpointProfile> {
  let redactor = new Redactor();
  try {
    const { connection, discovery } = resolveEndpointSource(kit, options);
    redactor = new Redactor(collectSecretValues(connection));
    return await discovery.discover({
      connection,
      path: options.path,
      ...(options.records ? { records: options.records } : {}),
      samples: options.samples,
      signal: options.signal,
    });
  } catch (error) {
    throw redactedDiscoveryError(error, redactor);
  }
}
