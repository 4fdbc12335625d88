import { format } from 'mysql2';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import { withoutUtcOffset } from '../../util/cursor-values.js';

export interface ExtractConfig {
  query?: string;
  table?: string;
  schema?: string;
  columns?: string[];
  limit?: number;
}

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
export function buildExtractQuery(config: ExtractConfig, window?: IncrementalWindow): string {
  const filter = windowFilter(window);
  if (config.query !== undefined && config.table !== undefined) {
    throw new OsirisError(ErrorCodes.STEP_FAILED, 'mysql.extractor: set `query` or `table`, not both', {
      hint: 'use `table` for a plain copy, `query` for filters, joins or aggregations',
    });
  }
  if (config.query !== undefined) {
    const query = config.query.trim().replace(/;\s*$/, '');
    return filter ? `SELECT * FROM (${query}) AS osiris_incremental WHERE ${filter}` : query;
  }
  if (config.table === undefined) {
    throw new OsirisError(ErrorCodes.STEP_FAILED, 'mysql.extractor: set `query` or `table`', {
      hint: 'for example `table: movies`',
    });
  }
  const columnList = config.columns?.length ? config.columns.map(quoteMysqlIdentifier).join(', ') : '*';
  const limit = config.limit === undefined ? '' : ` LIMIT ${Math.trunc(config.limit)}`;
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
