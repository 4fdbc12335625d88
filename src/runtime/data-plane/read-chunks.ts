import {
  type DuckDBConnection,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValue,
  quotedIdentifier,
} from '@duckdb/node-api';
import type { ColumnInfo } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { nullable, readerFor } from './from-duckdb-value.js';

export const DEFAULT_CHUNK_ROWS = 10_000;

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Streams `source` (a plain table name such as `df_orders`, or a SQL query) in chunks of exactly
 * `chunkRows` rows (the last may be shorter), values converted as documented on `readerFor`.
 * A result without rows yields one empty chunk, so the columns are always known.
 * The connection is the reader's own: a DuckDB connection serves one streaming result at a time,
 * and any other statement on it would silently end this one.
 */
export async function* readChunks(
  connection: DuckDBConnection,
  source: string,
  chunkRows = DEFAULT_CHUNK_ROWS,
): AsyncGenerator<{ columns: ColumnInfo[]; rows: unknown[][] }> {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new OsirisError(
      ErrorCodes.INTERNAL,
      `readChunks needs a positive whole chunk size, got ${chunkRows}.`,
    );
  }
  const sql = PLAIN_NAME.test(source) ? `SELECT * FROM ${quotedIdentifier(source)}` : source;
  let result: DuckDBResult;
  try {
    result = await connection.stream(sql);
  } catch (error) {
    throw new OsirisError(ErrorCodes.QUERY_FAILED, error instanceof Error ? error.message : String(error), {
      details: { source: source.slice(0, 500) },
      cause: error,
    });
  }
  const types = result.columnTypes();
  const columns = result.columnNames().map((name, index) => ({ name, type: duckdbTypeName(types[index]!) }));
  const readers = types.map((type) => nullable(readerFor(type)));
  let pending: unknown[][] = [];
  let yielded = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const values = chunk.getColumns();
    for (let rowIndex = 0; rowIndex < chunk.rowCount; rowIndex++) {
      const row = new Array<unknown>(readers.length);
      for (let columnIndex = 0; columnIndex < readers.length; columnIndex++) {
        row[columnIndex] = readers[columnIndex]!(values[columnIndex]![rowIndex] as DuckDBValue);
      }
      pending.push(row);
      if (pending.length === chunkRows) {
        yield { columns, rows: pending };
        yielded = true;
        pending = [];
      }
    }
  }
  if (pending.length > 0 || !yielded) yield { columns, rows: pending };
}

/** The SQL name of a type as DuckDB spells it in DESCRIBE (`JSON` rather than its VARCHAR base). */
export function duckdbTypeName(type: DuckDBType): string {
  return type.alias ?? String(type);
}
