export { createDiscovery, type Discovery } from './create-discovery.js';
export type {
  DatabaseDiscovery,
  DiscoveryKit,
  EndpointDiscovery,
  EndpointDiscoveryOptions,
  FamilyDiscovery,
} from './discovery-family.js';
export { formatEndpointProfile } from './format/format-endpoint.js';
export { formatProfile } from './format/format-profile.js';
export { formatSearchResult } from './format/format-search.js';
export type { DiscoveryConnection, OpenSessionOptions } from './readonly-session.js';
export type {
  ColumnProfile,
  DatabaseProfile,
  DiscoverOptions,
  EndpointProfile,
  ForeignKeyProfile,
  IndexProfile,
  QueryResult,
  ReadonlyQueryOptions,
  RelatedRows,
  ResultColumn,
  SampleRows,
  SampleTableOptions,
  SearchHit,
  SearchOptions,
  SearchResult,
  TableFailure,
  TableProfile,
} from './types.js';
