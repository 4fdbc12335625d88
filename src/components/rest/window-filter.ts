import type { ColumnInfo, DataPlane } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';

/**
 * Narrows an API step's finished table to its incremental window (`from ≤ cursor < to`; a record
 * without the cursor is outside). An API filters by its own parameters, if it can at all, so the
 * window is enforced here as well: the stored state then never moves past what the window allowed,
 * whatever the API sent. Bounds are bound parameters, cast to the cursor column's type. Returns
 * the rows kept.
 */
export async function keepIncrementalWindow(options: {
  dataPlane: DataPlane;
  table: string;
  columns: readonly ColumnInfo[];
  window: IncrementalWindow;
  component: string;
}): Promise<number> {
  const { dataPlane, table, columns, window } = options;
  const column =
    columns.find((candidate) => candidate.name === window.cursor) ??
    columns.find((candidate) => candidate.name.toLowerCase() === window.cursor.toLowerCase());
  if (!column) {
    await dataPlane.run(`DROP TABLE IF EXISTS ${dataPlane.quote(table)}`);
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `${options.component}: the cursor \`${window.cursor}\` is not a field of the records (fields: ${columns.map((c) => c.name).join(', ') || 'none'})`,
      {
        hint: 'set `incremental.cursor` to a top-level field of every record that grows with new and changed records, e.g. updated_at or id',
      },
    );
  }
  const cursor = dataPlane.quote(column.name);
  const values: string[] = [];
  const bounds: string[] = [];
  for (const [bound, operator] of [
    [window.from, '>='],
    [window.to, '<'],
  ] as const) {
    if (bound === undefined) continue;
    values.push(bound);
    bounds.push(`${cursor} ${operator} CAST($${values.length} AS ${column.type})`);
  }
  if (bounds.length > 0) {
    const connection = await dataPlane.connect();
    try {
      await connection.run(
        `DELETE FROM ${dataPlane.quote(table)} WHERE NOT COALESCE(${bounds.join(' AND ')}, false)`,
        values,
      );
    } finally {
      connection.closeSync();
    }
  }
  return dataPlane.count(table);
}

/** The window's bounds as the API's own query parameters, when the step names them. */
export function windowParams(
  incremental: unknown,
  window: IncrementalWindow | undefined,
): Record<string, string> {
  if (!window || typeof incremental !== 'object' || incremental === null) return {};
  const { param, end_param: endParam } = incremental as { param?: unknown; end_param?: unknown };
  return {
    ...(typeof param === 'string' && window.from !== undefined ? { [param]: window.from } : {}),
    ...(typeof endParam === 'string' && window.to !== undefined ? { [endParam]: window.to } : {}),
  };
}
