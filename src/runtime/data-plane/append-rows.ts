import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBValue,
  quotedIdentifier,
} from '@duckdb/node-api';
import type { ColumnInfo } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import {
  UnconvertibleValueError,
  UnsupportedColumnTypeError,
  type ValueWriter,
  writerFor,
} from './to-duckdb-value.js';

/** DuckDB's vector size: the most rows one data chunk can hold. */
const CHUNK_ROWS = 2048;
/** Flush the appender this often so its buffer stays small whatever the batch sizes are. */
const FLUSH_EVERY_ROWS = 100_000;

/**
 * Creates (or replaces) `table` with `columns` and appends every row from `batches`, filling
 * DuckDB data chunks column by column (one native call per 2048 rows, no per-row SQL).
 * Values are converted as documented on `writerFor` in to-duckdb-value.ts.
 */
export async function appendRows(
  connection: DuckDBConnection,
  table: string,
  columns: ColumnInfo[],
  batches: AsyncIterable<unknown[][]>,
  onProgress?: (rows: number) => void,
): Promise<number> {
  assertColumnsUsable(table, columns);
  const definition = columns.map((column) => `${quotedIdentifier(column.name)} ${column.type}`).join(', ');
  try {
    await connection.run(`CREATE OR REPLACE TABLE ${quotedIdentifier(table)} (${definition})`);
  } catch (error) {
    throw new OsirisError(
      ErrorCodes.QUERY_FAILED,
      `Could not create data-plane table "${table}": ${messageOf(error)}`,
      {
        hint: 'Column types must be DuckDB type names such as BIGINT, VARCHAR, DECIMAL(18,2) or TIMESTAMP.',
        details: { table, columns: columns.map((column) => `${column.name} ${column.type}`) },
        cause: error,
      },
    );
  }
  const appender = await connection.createAppender(table);
  let failed = false;
  try {
    return await appendBatches(appender, table, columns, batches, onProgress);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    closeAppender(appender, failed);
  }
}

async function appendBatches(
  appender: DuckDBAppender,
  table: string,
  columns: ColumnInfo[],
  batches: AsyncIterable<unknown[][]>,
  onProgress: ((rows: number) => void) | undefined,
): Promise<number> {
  const types = columns.map((_, index) => appender.columnType(index));
  const writers = types.map((type, index) => writerForColumn(type, table, columns[index]!));
  let appended = 0;
  let unflushed = 0;
  for await (const batch of batches) {
    for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
      const rows = batch.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, rows.length);
      chunk.setColumns(convertColumns(rows, writers, table, columns, appended));
      appender.appendDataChunk(chunk);
      appended += rows.length;
      unflushed += rows.length;
    }
    if (unflushed >= FLUSH_EVERY_ROWS) {
      appender.flushSync();
      unflushed = 0;
    }
    if (batch.length > 0) onProgress?.(appended);
  }
  appender.flushSync();
  return appended;
}

function convertColumns(
  rows: unknown[][],
  writers: ValueWriter[],
  table: string,
  columns: ColumnInfo[],
  rowsBefore: number,
): DuckDBValue[][] {
  const converted: DuckDBValue[][] = writers.map(() => new Array<DuckDBValue>(rows.length));
  for (let rowIndex = 0; rowIndex < rows.length; rowIndex++) {
    const row = rows[rowIndex]!;
    if (row.length !== writers.length) {
      throw new OsirisError(
        ErrorCodes.SOURCE_READ_FAILED,
        `Row ${rowsBefore + rowIndex + 1} for "${table}" has ${row.length} values but the table has ${writers.length} columns.`,
        { details: { table, row: rowsBefore + rowIndex + 1 } },
      );
    }
    for (let columnIndex = 0; columnIndex < writers.length; columnIndex++) {
      try {
        converted[columnIndex]![rowIndex] = writers[columnIndex]!(row[columnIndex]);
      } catch (error) {
        throw conversionError(error, table, columns[columnIndex]!, rowsBefore + rowIndex + 1);
      }
    }
  }
  return converted;
}

function writerForColumn(
  type: Parameters<typeof writerFor>[0],
  table: string,
  column: ColumnInfo,
): ValueWriter {
  try {
    return writerFor(type);
  } catch (error) {
    if (error instanceof UnsupportedColumnTypeError) {
      throw new OsirisError(
        ErrorCodes.QUERY_FAILED,
        `Column "${column.name}" of "${table}" has type ${column.type}, which rows from JS cannot fill.`,
        {
          hint: 'Declare the column as VARCHAR and cast it in a duckdb.processor step.',
          details: { table, column: column.name },
        },
      );
    }
    throw error;
  }
}

function conversionError(error: unknown, table: string, column: ColumnInfo, row: number): unknown {
  if (!(error instanceof UnconvertibleValueError)) return error;
  return new OsirisError(
    ErrorCodes.SOURCE_READ_FAILED,
    `Row ${row}, column "${column.name}" (${column.type}): ${error.message}.`,
    {
      hint: `Cast the column in the source query so it matches ${column.type}, or declare a type that fits the data.`,
      details: {
        table,
        column: column.name,
        type: column.type,
        row,
        expected: error.expected,
        received: error.received,
      },
    },
  );
}

function assertColumnsUsable(table: string, columns: ColumnInfo[]): void {
  if (columns.length === 0) {
    throw new OsirisError(ErrorCodes.SOURCE_READ_FAILED, `The source for "${table}" returned no columns.`, {
      details: { table },
    });
  }
  // DuckDB compares identifiers case-insensitively, so `id` and `ID` collide.
  const seen = new Set<string>();
  for (const column of columns) {
    const key = column.name.toLowerCase();
    if (seen.has(key)) {
      throw new OsirisError(
        ErrorCodes.SOURCE_READ_FAILED,
        `The source for "${table}" has two columns named "${column.name}".`,
        {
          hint: 'Give the columns distinct names with aliases in the query (`SELECT a.id AS author_id, b.id AS book_id`).',
          details: { table, column: column.name },
        },
      );
    }
    seen.add(key);
  }
}

function closeAppender(appender: DuckDBAppender, afterFailure: boolean): void {
  try {
    if (afterFailure) appender.clear();
    appender.closeSync();
  } catch (error) {
    // After a failure the original error is the one worth reporting; a close error then only
    // repeats it (the appender refuses to flush a half-converted chunk).
    if (!afterFailure) throw error;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
