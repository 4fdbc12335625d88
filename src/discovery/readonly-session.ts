import type { CatalogSnapshot } from './catalog/catalog-snapshot.js';
import type { SqlDialect } from './sql-dialect.js';
import type { TableFilter } from './table-filter.js';
import type { QueryResult } from './types.js';

export interface OpenSessionOptions {
  signal?: AbortSignal;
  /** Default statement timeout of the session. */
  statementTimeoutMs: number;
}

export interface QueryLimits {
  /** Rows returned at most; more rows set `truncated`. */
  maxRows: number;
  /** Statement timeout for this query; the session's default otherwise. */
  timeoutMs?: number;
}

/**
 * A database session that cannot write: every statement runs in a read-only transaction (or on
 * a database opened read-only), under a statement timeout, and returns at most `maxRows` rows.
 * Values are already JSON-safe. Errors are OsirisErrors: E_READ_ONLY_VIOLATION for a write,
 * E_TIMEOUT, E_CANCELLED, else E_QUERY_FAILED.
 */
export interface ReadonlySession {
  readonly dialect: SqlDialect;
  readonly serverVersion: string | undefined;
  /** One statement with positional parameters (see `dialect.placeholder`). */
  query(sql: string, parameters: readonly unknown[], limits: QueryLimits): Promise<QueryResult>;
  close(): Promise<void>;
}

/** An open session plus the reader of its catalog (the queries differ per family). */
export interface DiscoveryConnection {
  session: ReadonlySession;
  readCatalog(filter: TableFilter): Promise<CatalogSnapshot>;
}
