import type { ReadonlySession } from './readonly-session.js';
import { containsPattern, qualifiedName } from './sql-dialect.js';
import { isTextType } from './text-types.js';
import type { SearchHit, TableProfile } from './types.js';

/** Result columns that say which text column matched; removed from the rows returned. */
const FLAG_PREFIX = '__osiris_match_';

/**
 * Find `text` (case-insensitive substring) in every text column of one table with a single
 * scan: one query whose WHERE ORs the columns and whose flag columns tell which of them matched.
 */
export async function searchTable(
  session: ReadonlySession,
  table: TableProfile,
  text: string,
  limitPerColumn: number,
  timeoutMs: number,
): Promise<SearchHit[]> {
  const columns = table.columns.filter((column) => isTextType(column.type)).map((column) => column.name);
  if (columns.length === 0) return [];
  const dialect = session.dialect;
  const quote = (identifier: string) => dialect.quoteIdentifier(identifier);
  const pattern = containsPattern(text);
  const parameters: unknown[] = [];
  const bind = () => {
    parameters.push(pattern);
    return dialect.placeholder(parameters.length);
  };
  const flags = columns.map(
    (column, index) =>
      `CASE WHEN ${dialect.containsText(quote(column), bind())} THEN 1 ELSE 0 END AS ${quote(`${FLAG_PREFIX}${index}`)}`,
  );
  const where = columns.map((column) => dialect.containsText(quote(column), bind())).join(' OR ');
  const limit = limitPerColumn * columns.length;
  const result = await session.query(
    `SELECT *, ${flags.join(', ')} FROM ${qualifiedName(dialect, table.schema, table.name)} WHERE ${where} LIMIT ${limit + 1}`,
    parameters,
    { maxRows: limit, timeoutMs },
  );

  const hits: SearchHit[] = [];
  columns.forEach((column, index) => {
    const flag = `${FLAG_PREFIX}${index}`;
    const matching = result.rows.filter((row) => Number(row[flag]) === 1);
    if (matching.length === 0) return;
    hits.push({
      schema: table.schema,
      table: table.name,
      column,
      rows: matching.slice(0, limitPerColumn).map(withoutFlags),
      // Past the query's own limit, any column may have had more matches.
      truncated: matching.length > limitPerColumn || result.truncated,
      related: [],
    });
  });
  return hits;
}

function withoutFlags(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith(FLAG_PREFIX)));
}
