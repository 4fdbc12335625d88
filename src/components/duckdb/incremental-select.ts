import { type DuckDBConnection, quotedIdentifier } from '@duckdb/node-api';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';

/**
 * `select` narrowed to an incremental window: wrapped as a subquery and filtered with the bounds as
 * bound parameters, cast to the cursor column's type. The cursor is looked up with DESCRIBE first
 * (no rows are read), so a missing cursor column is a clear error before anything is copied.
 */
export async function incrementalSelect(
  connection: DuckDBConnection,
  select: string,
  window: IncrementalWindow,
  component: string,
): Promise<{ sql: string; values: string[] }> {
  const described = (await connection.runAndReadAll(`DESCRIBE ${select}`)).getRowObjects();
  const columns = described.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const column =
    columns.find((candidate) => candidate.name === window.cursor) ??
    columns.find((candidate) => candidate.name.toLowerCase() === window.cursor.toLowerCase());
  if (!column) {
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `${component}: the cursor column \`${window.cursor}\` is not in the source's result (columns: ${columns.map((c) => c.name).join(', ')})`,
      {
        hint: 'set `incremental.cursor` to a column the table or query returns (a timestamp such as updated_at, a date or an increasing integer id)',
      },
    );
  }
  const cursor = quotedIdentifier(column.name);
  const parts: string[] = [];
  const values: string[] = [];
  if (window.from !== undefined) {
    values.push(window.from);
    parts.push(`${cursor} >= CAST($${values.length} AS ${column.type})`);
  }
  if (window.to !== undefined) {
    values.push(window.to);
    parts.push(`${cursor} < CAST($${values.length} AS ${column.type})`);
  }
  if (parts.length === 0) return { sql: select, values };
  return { sql: `SELECT * FROM (${select}) AS osiris_incremental WHERE ${parts.join(' AND ')}`, values };
}
