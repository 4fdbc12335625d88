import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { to as copyTo } from 'pg-copy-streams';
import type { DataPlane } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import type { PostgresSession } from './client.js';
import { asSubquery, describeQuery, type SourceColumn } from './describe-query.js';
import { borrowDuckdbConnection } from './duckdb-connection.js';
import { duckdbPathLiteral, openFifoWriter, withFifo } from './fifo.js';
import { narrowNumericColumns } from './narrow-numeric-columns.js';
import { CountingProgress } from './progress-counter.js';
import { BEGIN_READ_ONLY_SNAPSHOT } from './session-settings.js';

export interface CopyIntoDataPlaneOptions {
  session: PostgresSession;
  /** A SELECT (or VALUES, TABLE ...) whose result becomes the table. */
  query: string;
  dataPlane: DataPlane;
  /** Data-plane table to create (replaced if it exists); dropped again if anything fails. */
  table: string;
  signal: AbortSignal;
  onProgress?: (rows: number) => void;
  onWarning?: (message: string, fields: Record<string, unknown>) => void;
}

export interface CopyIntoDataPlaneResult {
  rows: number;
  bytes: number;
  columns: SourceColumn[];
}

/**
 * Longest CSV line DuckDB accepts (one row); PostgreSQL text and JSON values can be large.
 * DuckDB sizes its read buffer from it, so it also bounds the reader's memory.
 */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Move a query's result from PostgreSQL into a data-plane table.
 *
 * Design: PostgreSQL's `COPY (query) TO STDOUT (FORMAT csv)` is its fastest way out (the server
 * formats rows in C, no per-row protocol messages). The CSV bytes are piped, unparsed, into a
 * named pipe that DuckDB's `read_csv` consumes in the same moment, parsing and converting in
 * C++ with explicit column types. Nothing is staged in a file and no row is ever a JS object:
 * memory stays at a few socket/pipe buffers whatever the table size, and the two processes'
 * work overlaps. Parsing the CSV in JS and using the appender would cost a JS value per cell.
 *
 * Everything runs in one REPEATABLE READ, READ ONLY transaction (the row description and the
 * rows come from the same snapshot, and the query cannot write). On failure or abort the COPY
 * is stopped by closing the connection and the half-filled table is dropped.
 */
export async function copyQueryIntoDataPlane(options: CopyIntoDataPlaneOptions): Promise<CopyIntoDataPlaneResult> {
  const { session, dataPlane, signal } = options;
  const table = dataPlane.quote(options.table);
  const duckdb = await borrowDuckdbConnection(dataPlane);
  let created = false;
  try {
    signal.throwIfAborted();
    await session.client.query(BEGIN_READ_ONLY_SNAPSHOT);
    const columns = await describeQuery(session.client, options.query);
    if (columns.length === 0) {
      throw new OsirisError(ErrorCodes.USAGE, `${session.ref}: the query returns no columns`, {
        hint: 'Select at least one column.',
      });
    }
    const definitions = columns.map((column) => `${dataPlane.quote(column.name)} ${column.duckdbType}`).join(', ');
    await duckdb.connection.run(`CREATE OR REPLACE TABLE ${table} (${definitions})`);
    created = true;
    const moved = await withFifo((fifo) => streamRows(options, duckdb.connection, columns, table, fifo));
    await session.client.query('COMMIT');
    const finalColumns = await narrowNumericColumns(duckdb.connection, dataPlane, table, columns, options.onWarning);
    return { ...moved, columns: finalColumns };
  } catch (error) {
    if (created) {
      await duckdb.connection
        .run(`DROP TABLE IF EXISTS ${table}`)
        .catch((dropError: unknown) =>
          options.onWarning?.('could not drop the partly loaded table', { table: options.table, error: String(dropError) }),
        );
    }
    if (signal.aborted) {
      throw new OsirisError(ErrorCodes.CANCELLED, `${session.ref}: extraction cancelled; no rows were kept`, { cause: error });
    }
    throw session.error(error, `reading from ${session.where}`, ErrorCodes.QUERY_FAILED);
  } finally {
    duckdb.release();
  }
}

async function streamRows(
  options: CopyIntoDataPlaneOptions,
  duckdb: DuckDBConnection,
  columns: SourceColumn[],
  table: string,
  fifo: string,
): Promise<{ rows: number; bytes: number }> {
  const { session, signal } = options;
  const load = duckdb.run(loadSql(columns, table, fifo));
  const sink = await openFifoWriter(fifo, load);
  if (!sink) throw loadError(await load.then(() => 'DuckDB ended before reading the rows', (error) => error), session.ref);
  const copy = session.client.query(copyTo(copyOutSql(options.query, columns)));
  const progress = new CountingProgress(options.onProgress);
  copy.on('data', (chunk: Buffer) => progress.add(chunk));

  // The only way to stop a COPY TO in flight is to drop the connection; the server then
  // aborts the statement. Destroying our end of the pipe gives DuckDB end-of-file.
  const stop = () => {
    copy.destroy();
    sink.destroy();
    void session.close();
  };
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  const transfer = pipeline(copy, sink).finally(() => sink.destroy());
  // DuckDB stopping early (bad value, out of disk) leaves nobody reading the pipe: stop the source.
  load.catch(stop);
  const [transferred, loaded] = await Promise.allSettled([transfer, load]);
  signal.removeEventListener('abort', stop);

  signal.throwIfAborted();
  if (transferred.status === 'rejected') throw transferred.reason;
  if (loaded.status === 'rejected') throw loadError(loaded.reason, session.ref);
  const loadedRows = loaded.value.rowsChanged;
  if (loadedRows !== copy.rowCount) {
    throw new OsirisError(
      ErrorCodes.INTERNAL,
      `${session.ref}: PostgreSQL sent ${copy.rowCount} rows but DuckDB parsed ${loadedRows}; the table was discarded`,
      { hint: 'This is a bug in the PostgreSQL extractor: please report it with the column types of the query.' },
    );
  }
  progress.finish(loadedRows);
  return { rows: loadedRows, bytes: progress.bytes };
}

/** Columns are renamed to positions (`c0`, `c1`, ...) so duplicate or odd result names cannot clash. */
function copyOutSql(query: string, columns: SourceColumn[]): string {
  const aliases = columns.map((_, index) => `c${index}`);
  const selected = columns.map((column, index) =>
    column.source === 'array-as-json' ? `array_to_json(q.c${index}::text[])` : `q.c${index}`,
  );
  return `COPY (SELECT ${selected.join(', ')} FROM ${asSubquery(query)} AS q(${aliases.join(', ')})) TO STDOUT (FORMAT csv)`;
}

/**
 * PostgreSQL's CSV: NULL is an empty unquoted field, an empty string is `""`
 * (`allow_quoted_nulls = false` keeps them apart); no header; explicit types, no sniffing.
 */
function loadSql(columns: SourceColumn[], table: string, fifo: string): string {
  const types = columns.map((column, index) => `'c${index}': '${column.csvType}'`).join(', ');
  const values = columns.map((column, index) => {
    const field = `c${index}`;
    if (column.load === 'hex-to-blob') return `unhex(substr(${field}, 3))`;
    if (column.load === 'json-to-list') return `CAST(CAST(CAST(${field} AS JSON) AS VARCHAR[]) AS ${column.duckdbType})`;
    return field;
  });
  return (
    `INSERT INTO ${table} SELECT ${values.join(', ')} FROM read_csv(${duckdbPathLiteral(fifo)}, ` +
    `columns = {${types}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
    `nullstr = '', allow_quoted_nulls = false, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${MAX_LINE_BYTES * 2})`
  );
}

function loadError(error: unknown, ref: string): OsirisError {
  if (isOsirisError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new OsirisError(ErrorCodes.SOURCE_READ_FAILED, `${ref}: DuckDB could not load the rows PostgreSQL sent: ${message}`, {
    hint: 'A value had no exact DuckDB equivalent: cast that column to text in `query` (e.g. `col::text`).',
    cause: error,
  });
}
