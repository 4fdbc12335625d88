/**
 * What discovery returns. Every value is JSON-safe (bigint → string, dates → ISO text, bytes →
 * `\x` hex), because profiles are cached as JSON, sent to an LLM and printed by the MCP server.
 */

export interface ColumnProfile {
  name: string;
  /** The database's own type name, e.g. `varchar(120)`, `integer`, `DECIMAL(8,2)`. */
  type: string;
  nullable: boolean;
  /** The default expression as the catalog shows it; null when the column has none. */
  default: string | null;
}

export interface ForeignKeyProfile {
  columns: string[];
  references: { schema?: string; table: string; columns: string[] };
}

export interface IndexProfile {
  name: string;
  /** Column names, or expressions for expression indexes. */
  columns: string[];
  unique: boolean;
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface SampleRows {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
}

/** A failure that concerns one table only: the rest of the profile is still valid. */
export interface TableFailure {
  code: string;
  message: string;
}

export interface TableProfile {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  /** The catalog's estimate (statistics, not a count); null when it has none. */
  estimated_rows: number | null;
  columns: ColumnProfile[];
  primary_key: string[];
  foreign_keys: ForeignKeyProfile[];
  indexes: IndexProfile[];
  /**
   * Likely cursors for an incremental extract, best first: `updated_at`-like timestamps (new and
   * changed rows), `created_at`-like ones, an integer primary key (new rows). Absent when none.
   */
  cursor_candidates?: string[];
  sample?: SampleRows;
  error?: TableFailure;
}

export interface DatabaseProfile {
  /** `@family.alias` as asked for. */
  connection: string;
  /** The connection's family, e.g. `mysql`. */
  family: string;
  server_version?: string;
  schemas: string[];
  tables: TableProfile[];
  /** ISO-8601 UTC time the catalog was read (not when the cache served it). */
  discovered_at: string;
  /** True when this profile came from the discovery cache. */
  cached: boolean;
  warnings: string[];
}

export interface QueryResult {
  columns: ResultColumn[];
  rows: Record<string, unknown>[];
  /** More rows existed than the row cap allowed to return. */
  truncated: boolean;
}

/** Rows of another table joined to a search hit through a foreign key. */
export interface RelatedRows {
  schema: string;
  table: string;
  /**
   * `referenced_by`: rows of `table` whose foreign key points at the hit (a director's movies);
   * `references`: the rows the hit's own foreign key points at (a movie's director).
   */
  direction: 'references' | 'referenced_by';
  /** The foreign key that links them, as declared on the referencing table. */
  via: { table: string; columns: string[]; references: { table: string; columns: string[] } };
  rows: Record<string, unknown>[];
  truncated: boolean;
}

export interface SearchHit {
  schema: string;
  table: string;
  column: string;
  rows: Record<string, unknown>[];
  /** The column had more matching rows than `limitPerColumn`. */
  truncated: boolean;
  related: RelatedRows[];
}

export interface SearchResult {
  connection: string;
  text: string;
  hits: SearchHit[];
  /** Tables whose text columns were searched. */
  searched_tables: number;
  /** `schema.table` of tables left out: the time budget ran out, or they could not be read. */
  skipped_tables: string[];
  /** The time budget ran out before every table was searched. */
  timed_out: boolean;
  /** The table list came from the discovery cache. */
  catalog_cached: boolean;
  warnings: string[];
}

interface ConnectionOptions {
  /** Folder of the project (where osiris_connections.yaml and `.osiris/` live). */
  projectDir: string;
  /** `@family.alias` (or `@family` for the default alias). */
  ref: string;
  /** Environment for `${VAR}` templates; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export interface DiscoverOptions extends ConnectionOptions {
  /** Only these tables (`name` or `schema.name`). */
  tables?: string[];
  /** Sample rows per table: default 10, 0 for none, at most 1000. */
  samples?: number;
  /** Ignore a cached profile (the new one is still cached). */
  refresh?: boolean;
  /** How long a cached profile stays valid; default one hour. */
  ttlMs?: number;
}

export interface SearchOptions extends ConnectionOptions {
  text: string;
  tables?: string[];
  /** Matching rows returned per column; default 10. */
  limitPerColumn?: number;
  /** Time budget for the whole search; default 15 s. */
  timeoutMs?: number;
  /** Rediscover the table list instead of using a cached profile. */
  refresh?: boolean;
}

export interface SampleTableOptions extends ConnectionOptions {
  /** `name` or `schema.name`. */
  table: string;
  /** Rows to return: 10 by default; ask for 100, then 1000, when more is needed. At most 1000. */
  rows?: number;
}

export interface ReadonlyQueryOptions extends ConnectionOptions {
  sql: string;
  /** Row cap; default 100, at most 10 000. */
  maxRows?: number;
  /** Statement timeout; default 30 s. */
  timeoutMs?: number;
}

/** What `osiris discover @rest.alias --path /orders` shows of an API: one page, its records' schema and samples. */
export interface EndpointProfile {
  ref: string;
  /** The component a pipeline reads this API with, e.g. `rest.extractor`. */
  component: string;
  url: string;
  /** The JSON path of the records (given, or found: the body itself or its only list). */
  records: string;
  records_on_page: number;
  columns: { name: string; type: string }[];
  sample: Record<string, unknown>[];
  /** Top-level members of the response besides the records, with their JSON types. */
  response_members: { path: string; type: string }[];
  /** `paginate` settings the response suggests (a cursor, a next URL, a Link header). */
  pagination_hints: string[];
}
