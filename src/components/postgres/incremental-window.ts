import type pg from 'pg';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import { describeQuery } from './describe-query.js';
import { quoteIdentifier } from './identifiers.js';

/** Transaction settings that carry the window's bounds into the COPY (which takes no parameters). */
const FROM_SETTING = 'osiris.window_from';
const TO_SETTING = 'osiris.window_to';

export interface WindowFilter {
  /** `cursor >= CAST(current_setting(...) AS type) AND ...`: no value is ever part of the SQL. */
  where: string | undefined;
  settings: Record<string, string>;
}

/**
 * The filter of an incremental window over `query`'s result. The cursor column is looked up in the
 * query's row description first (no rows are read), so a missing cursor is a clear error before
 * anything moves, and the bounds are cast to the column's own type.
 */
export async function incrementalFilter(
  client: pg.Client,
  query: string,
  window: IncrementalWindow,
  component: string,
): Promise<WindowFilter> {
  const columns = await describeQuery(client, query);
  const column =
    columns.find((candidate) => candidate.sourceName === window.cursor) ??
    columns.find((candidate) => candidate.sourceName.toLowerCase() === window.cursor.toLowerCase());
  if (!column) {
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `${component}: the cursor column \`${window.cursor}\` is not in the source's result (columns: ${columns.map((c) => c.sourceName).join(', ')})`,
      {
        hint: 'set `incremental.cursor` to a column the table or query returns (a timestamp such as updated_at, a date or an increasing integer id)',
      },
    );
  }
  const cursor = quoteIdentifier(column.sourceName);
  const type = quoteIdentifier(column.postgresType);
  const parts: string[] = [];
  const settings: Record<string, string> = {};
  if (window.from !== undefined) {
    parts.push(`${cursor} >= CAST(current_setting('${FROM_SETTING}') AS ${type})`);
    settings[FROM_SETTING] = window.from;
  }
  if (window.to !== undefined) {
    parts.push(`${cursor} < CAST(current_setting('${TO_SETTING}') AS ${type})`);
    settings[TO_SETTING] = window.to;
  }
  return { where: parts.length > 0 ? parts.join(' AND ') : undefined, settings };
}
