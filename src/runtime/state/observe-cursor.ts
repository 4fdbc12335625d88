import type { DataPlane } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { CursorValue } from '../../spec/incremental.js';
import { cursorKindOfType } from '../../util/cursor-values.js';

/**
 * The largest cursor value in an incremental extractor's output, measured in the data plane, so
 * every extractor and every adapter computes it the same way. Undefined when the window was empty.
 */
export async function observeCursor(
  dataPlane: DataPlane,
  table: string | undefined,
  cursor: string,
  stepId: string,
): Promise<CursorValue | undefined> {
  if (!table) return undefined;
  const columns = await dataPlane.columns(table);
  const column =
    columns.find((candidate) => candidate.name === cursor) ??
    columns.find((candidate) => candidate.name.toLowerCase() === cursor.toLowerCase());
  if (!column) {
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `step '${stepId}': the cursor column \`${cursor}\` is not in the source's result (columns: ${columns.map((c) => c.name).join(', ')})`,
      {
        hint: 'set `incremental.cursor` to a column the table or query returns (a timestamp such as updated_at, a date or an increasing integer id)',
      },
    );
  }
  const kind = cursorKindOfType(column.type);
  if (!kind) {
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `step '${stepId}': the cursor column \`${column.name}\` is ${column.type}; a cursor must be a timestamp, a date or an integer`,
      {
        hint: 'choose a column that grows when a row is added or changed, e.g. updated_at or an auto-increment id',
      },
    );
  }
  const sql = `SELECT CAST(max(${dataPlane.quote(column.name)}) AS VARCHAR) FROM ${dataPlane.quote(table)}`;
  for await (const chunk of dataPlane.readChunks(sql, 1)) {
    const value = chunk.rows[0]?.[0];
    return value === null || value === undefined ? undefined : { value: String(value), kind };
  }
  return undefined;
}
