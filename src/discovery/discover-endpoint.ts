import { redactingCall } from './discovery-call.js';
import type { DiscoveryKit } from './discovery-family.js';
import { resolveEndpointSource } from './discovery-source.js';
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
export function discoverEndpoint(
  kit: DiscoveryKit,
  options: DiscoverEndpointOptions,
): Promise<EndpointProfile> {
  return redactingCall(
    () => resolveEndpointSource(kit, options),
    ({ connection, discovery }) =>
      discovery.discover({
        connection,
        path: options.path,
        ...(options.records ? { records: options.records } : {}),
        samples: options.samples,
        signal: options.signal,
      }),
  );
}
