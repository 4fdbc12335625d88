import type { ReadonlySession } from './readonly-session.js';
import { qualifiedName } from './sql-dialect.js';
import type { QueryResult, TableProfile } from './types.js';

/**
 * The first `rows` rows of a table, in primary-key order when it has one (an index walk, so
 * cheap even on big tables, and the same rows every time).
 */
export async function sampleRows(
  session: ReadonlySession,
  table: Pick<TableProfile, 'schema' | 'name' | 'primary_key'>,
  rows: number,
): Promise<QueryResult> {
  const quote = (identifier: string) => session.dialect.quoteIdentifier(identifier);
  const orderBy = table.primary_key.length > 0 ? ` ORDER BY ${table.primary_key.map(quote).join(', ')}` : '';
  // One row more than asked tells whether the table has more.
  const sql = `SELECT * FROM ${qualifiedName(session.dialect, table.schema, table.name)}${orderBy} LIMIT ${rows + 1}`;
  return session.query(sql, [], { maxRows: rows });
}
