import { format } from 'mysql2';
import type { IncrementalWindow } from '../../spec/incremental.js';
import { withoutUtcOffset } from '../../util/cursor-values.js';
import type { SourceConfig } from '../shared/database-config.js';

/** MySQL identifier quoting: backticks, with embedded backticks doubled. */
export function quoteMysqlIdentifier(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

export function qualifiedTableName(table: string, schema: string | undefined): string {
  return schema
    ? `${quoteMysqlIdentifier(schema)}.${quoteMysqlIdentifier(table)}`
    : quoteMysqlIdentifier(table);
}

/**
 * The SELECT the extractor runs: the user's query as-is, or one built from table/columns/limit.
 * With an incremental window, only rows with `from <= cursor < to` are read: a table read gets the
 * WHERE before its LIMIT, a query is wrapped as a subquery. The bounds are bound as parameters of
 * the filter (mysql2's placeholder escaping), never spliced into the SQL by hand.
 */
export function buildExtractQuery(config: SourceConfig, window?: IncrementalWindow): string {
  const filter = windowFilter(window);
  const limit = config.limit === undefined ? '' : ` LIMIT ${Math.trunc(config.limit)}`;
  if ('query' in config) {
    const query = config.query.trim().replace(/;\s*$/, '');
    if (!filter && !limit) return query;
    return `SELECT * FROM (${query}) AS osiris_incremental${filter ? ` WHERE ${filter}` : ''}${limit}`;
  }
  const columnList = config.columns?.length ? config.columns.map(quoteMysqlIdentifier).join(', ') : '*';
  const where = filter ? ` WHERE ${filter}` : '';
  return `SELECT ${columnList} FROM ${qualifiedTableName(config.table, config.schema)}${where}${limit}`;
}

/**
 * `cursor >= ? AND cursor < ?` for the bounds the window has. Timestamps are compared as UTC wall
 * time (Osiris sessions run in UTC), so an offset in a stored value is dropped; integers travel
 * as numbers when they are exact in JS.
 */
function windowFilter(window: IncrementalWindow | undefined): string | undefined {
  if (!window || (window.from === undefined && window.to === undefined)) return undefined;
  const column = quoteMysqlIdentifier(window.cursor);
  const parts: string[] = [];
  const values: Array<string | number> = [];
  for (const [bound, operator] of [
    [window.from, '>='],
    [window.to, '<'],
  ] as const) {
    if (bound === undefined) continue;
    parts.push(`${column} ${operator} ?`);
    values.push(boundValue(bound, window));
  }
  // Only the filter is formatted: a `?` inside the user's own query is never taken for a parameter.
  return format(parts.join(' AND '), values);
}

function boundValue(value: string, window: IncrementalWindow): string | number {
  if (window.kind === 'integer' && /^-?\d+$/.test(value)) {
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value;
  }
  return withoutUtcOffset(value);
}
