import {
  invalidConfig,
  optionalCount,
  optionalString,
  type ParallelRead,
  parseParallel,
  parseSourceConfig,
} from '../shared/database-config.js';
import type { ConnectionOverrides } from './connection-settings.js';
import { asSubquery } from './describe-query.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export interface ExtractorSettings {
  /** The SELECT to run: `query` as given, or one built from `table`/`columns`/`limit`. */
  query: string;
  /** `schema.table` when reading a table, for messages. */
  source: string;
  table?: {
    schema: string;
    name: string;
    columns?: string[];
    limit?: number;
    /** `primary_key` (default): ORDER BY the table's primary key, when it has one. */
    order: TableOrder;
  };
  fetchSize: number;
  /** `parallel: N` (N > 1): N ranges of `partition_column` (else the single-column primary key) at once. */
  parallel?: ParallelRead;
  overrides: ConnectionOverrides;
}

export type TableOrder = 'primary_key' | 'none';
const TABLE_ORDERS: readonly TableOrder[] = ['primary_key', 'none'];

const DEFAULT_FETCH_SIZE = 10_000;

/**
 * The step config of postgres.extractor / supabase.extractor. The compiler has validated it
 * against the spec's schema; this re-checks what the driver relies on, because drivers can
 * also be called directly.
 */
export function parseExtractorSettings(
  config: Record<string, unknown>,
  component: string,
): ExtractorSettings {
  const source = parseSourceConfig(config, component);
  const fetchSize = optionalCount(config.fetch_size, 'fetch_size', component) ?? DEFAULT_FETCH_SIZE;
  const parallel = parseParallel(config, component);
  const overrides = connectionOverrides(config, component);
  if ('query' in source) {
    const { query, limit } = source;
    const limited =
      limit === undefined ? query : `SELECT * FROM ${asSubquery(query)} AS limited LIMIT ${limit}`;
    return { query: limited, source: 'query', fetchSize, overrides, ...(parallel ? { parallel } : {}) };
  }
  const order = (config.order ?? 'primary_key') as TableOrder;
  if (!TABLE_ORDERS.includes(order))
    throw invalidConfig(component, 'order', `one of ${TABLE_ORDERS.join(', ')}`);
  const { table: name, schema = 'public', columns, limit } = source;
  const tableRead = {
    schema,
    name,
    ...(columns ? { columns } : {}),
    ...(limit === undefined ? {} : { limit }),
    order,
  };
  return {
    query: tableQuery(tableRead, []),
    source: `${schema}.${name}`,
    table: tableRead,
    fetchSize,
    overrides,
    ...(parallel ? { parallel } : {}),
  };
}

/**
 * The SELECT of a `table` read, ordered by `orderBy` (the primary key) when given; `where` (an
 * incremental window's filter) goes before the order and the limit.
 */
export function tableQuery(
  table: { schema: string; name: string; columns?: string[]; limit?: number },
  orderBy: readonly string[],
  where?: string,
): string {
  const selected = table.columns ? table.columns.map(quoteIdentifier).join(', ') : '*';
  const orderClause = orderBy.length > 0 ? ` ORDER BY ${orderBy.map(quoteIdentifier).join(', ')}` : '';
  const limitClause = table.limit === undefined ? '' : ` LIMIT ${table.limit}`;
  const whereClause = where ? ` WHERE ${where}` : '';
  return `SELECT ${selected} FROM ${qualifiedName(table.schema, table.name)}${whereClause}${orderClause}${limitClause}`;
}

export function connectionOverrides(config: Record<string, unknown>, component: string): ConnectionOverrides {
  const overrides: ConnectionOverrides = {};
  const host = optionalString(config.host, 'host', component);
  const port = optionalCount(config.port, 'port', component);
  const database = optionalString(config.database, 'database', component);
  const user = optionalString(config.user, 'user', component);
  if (host !== undefined) overrides.host = host;
  if (port !== undefined) overrides.port = port;
  if (database !== undefined) overrides.database = database;
  if (user !== undefined) overrides.user = user;
  return overrides;
}
