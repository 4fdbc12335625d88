import type { RelatedRows, SearchHit, SearchResult } from '../types.js';
import { rowsTable } from './text-table.js';

/** Search hits for a terminal: each matching column with its rows, then the rows joined to them by foreign keys. */
export function formatSearchResult(result: SearchResult): string {
  const lines: string[] = [];
  const hitCount = result.hits.length;
  lines.push(
    `"${result.text}" in ${result.connection}: ${hitCount === 0 ? 'no match' : `${hitCount} ${hitCount === 1 ? 'column matches' : 'columns match'}`}` +
      ` (${result.searched_tables} ${result.searched_tables === 1 ? 'table' : 'tables'} searched)`,
  );
  if (result.catalog_cached) lines.push('table list from the cache; --refresh discovers again');

  for (const hit of result.hits) {
    lines.push('', `${hitLabel(hit)} · ${rowCount(hit.rows.length, hit.truncated)}`);
    lines.push(...rowsTable(columnsOf(hit.rows), hit.rows, '  '));
    for (const related of hit.related) {
      lines.push('', `  ${relatedHeading(related)} · ${rowCount(related.rows.length, related.truncated)}`);
      lines.push(...rowsTable(columnsOf(related.rows), related.rows, '    '));
    }
  }
  if (result.timed_out) lines.push('', 'warning: the time budget ran out; some tables were not searched');
  if (result.skipped_tables.length > 0) lines.push(`not searched: ${result.skipped_tables.join(', ')}`);
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function hitLabel(hit: SearchHit): string {
  return `${hit.table}.${hit.column}`;
}

function relatedHeading(related: RelatedRows): string {
  const link = `${related.via.table}(${related.via.columns.join(', ')}) → ${related.via.references.table}(${related.via.references.columns.join(', ')})`;
  return related.direction === 'referenced_by'
    ? `${related.table} referencing it via ${link}`
    : `${related.table} it references via ${link}`;
}

function rowCount(count: number, truncated: boolean): string {
  return `${count}${truncated ? '+' : ''} ${count === 1 && !truncated ? 'row' : 'rows'}`;
}

/** Column order of the first row (every row of one table has the same keys). */
function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  return Object.keys(rows[0] ?? {});
}
