import type { DiscoverEndpointOptions } from '../../discovery/discover-endpoint.js';
import type {
  DatabaseProfile,
  DiscoverOptions,
  EndpointProfile,
  QueryResult,
  ReadonlyQueryOptions,
  SampleRows,
  SampleTableOptions,
  SearchOptions,
  SearchResult,
} from '../../discovery/types.js';

/**
 * The part of src/discovery the agent uses. The tools depend on this interface, so an embedder
 * can hand in its own; `loadDiscovery` gives the real module.
 */
export interface DiscoveryApi {
  discoverDatabase(options: DiscoverOptions): Promise<DatabaseProfile>;
  sampleTable(options: SampleTableOptions): Promise<SampleRows>;
  searchValues(options: SearchOptions): Promise<SearchResult>;
  runReadonlyQuery(options: ReadonlyQueryOptions): Promise<QueryResult>;
  /** One page of an API path (families whose `discoveryKind` is `endpoint`). */
  discoverEndpoint(options: DiscoverEndpointOptions): Promise<EndpointProfile>;
  discoveryKind(family: string): 'database' | 'endpoint' | undefined;
}

/** The real discovery module, loaded on first use (it pulls in the database clients). */
export async function loadDiscovery(): Promise<DiscoveryApi> {
  return await import('../../composition/builtins.js');
}
