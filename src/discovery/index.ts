export { discoverDatabase } from './discover-database.js';
export { formatProfile } from './format/format-profile.js';
export { formatSearchResult } from './format/format-search.js';
export { runReadonlyQuery } from './run-readonly-query.js';
export { sampleTable } from './sample-table.js';
export { searchValues } from './search-values.js';
export type {
  ColumnProfile,
  DatabaseProfile,
  DiscoverOptions,
  DiscoveryFamily,
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
