import type { TableProfile } from './types.js';

const TIME_TYPE = /^(timestamp|datetime|date\b|timestamptz|timestamp with(out)? time zone)/i;
const INTEGER_TYPE =
  /^(tiny|small|medium|big)?int(eger)?\b|^int[248]\b|^(big)?serial\b|^u?(bigint|integer)\b/i;
/** Names of columns that change when a row changes: the best cursors come first. */
const CHANGED =
  /^(updated|modified|changed|last_?(updated|modified|changed)|edited)(_?(at|on|time|date|ts|timestamp))?$/i;
const ADDED = /^(created|inserted|added)(_?(at|on|time|date|ts|timestamp))?$/i;

/**
 * Columns an incremental extract could use as its cursor, best first: timestamps named like
 * `updated_at`/`modified_at` (new and changed rows), then `created_at`-like ones (new rows only),
 * then an integer single-column primary key (monotonically increasing ids: new rows only).
 */
export function cursorCandidates(table: TableProfile): string[] {
  const changed: string[] = [];
  const added: string[] = [];
  const keys: string[] = [];
  for (const column of table.columns) {
    if (TIME_TYPE.test(column.type)) {
      if (CHANGED.test(column.name)) changed.push(column.name);
      else if (ADDED.test(column.name)) added.push(column.name);
    }
  }
  const [key] = table.primary_key;
  const keyColumn =
    table.primary_key.length === 1 ? table.columns.find((column) => column.name === key) : undefined;
  if (keyColumn && INTEGER_TYPE.test(keyColumn.type)) keys.push(keyColumn.name);
  return [...changed, ...added, ...keys];
}
