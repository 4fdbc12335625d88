import type { Writable } from 'node:stream';
import { type DuckDBConnection, quotedIdentifier } from '@duckdb/node-api';
import { csvErrorFacts } from '../../runtime/data-plane/csv-error.js';
import { diskFullError } from '../../runtime/data-plane/disk-full.js';
import type { DataPlane, OutputStream } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import type { SourceColumn } from './describe-query.js';
import { borrowDuckdbConnection, pipeDirectory } from './duckdb-connection.js';
import { duckdbPathLiteral, openFifoWriter, withFifo } from './fifo.js';
import { narrowNumericColumns } from './narrow-numeric-columns.js';

/**
 * Rows in PostgreSQL's CSV dialect (NULL is an empty unquoted field, an empty string is `""`,
 * values as PostgreSQL prints them; arrays as JSON arrays of element text).
 */
export interface CsvSource {
  /** Write every row into `sink` (ending it is not required); resolve with the number of rows sent. */
  pipeTo(sink: Writable): Promise<number>;
  /** Stop producing at once (abort, or DuckDB gave up reading). */
  stop(): void;
}

export interface CsvIntoDataPlaneOptions {
  dataPlane: DataPlane;
  /** Data-plane table to create (replaced if it exists); dropped again if anything fails. */
  table: string;
  columns: readonly SourceColumn[];
  /**
   * The rows; several sources (a parallel read's ranges) each stream through a pipe of their own
   * into the same table at once, over DuckDB connections of their own.
   */
  source: CsvSource | readonly CsvSource[];
  signal: AbortSignal;
  /** `@family.alias`, for messages. */
  ref: string;
  onWarning?: (message: string, fields: Record<string, unknown>) => void;
  onDebug?: (message: string, fields: Record<string, unknown>) => void;
  /** How to keep a column's source text when DuckDB cannot load it; PostgreSQL's `col::text` by default. */
  castHint?: (column: SourceColumn) => string;
  /**
   * The step's output streams into its one consumer (StepContext.outputStream): the table is a
   * view over the pipe, and the consumer's statement reads the rows while they arrive. Used only
   * for a single source whose column types are all known up front; otherwise the table is loaded
   * as usual (the consumer then reads it once it is complete).
   */
  stream?: OutputStream;
}

/**
 * The read buffer of one `read_csv`: two of the longest lines (DuckDB's minimum), taken from the
 * buffer pool. The longest line is the data plane's `max_row_size` (its default, 4 MiB, is twice
 * DuckDB's own, for large text and JSON values; raise it for larger ones).
 */
export function csvBufferBytes(dataPlane: DataPlane): number {
  return dataPlane.maxRowBytes * 2;
}

/**
 * Load a CSV stream into a new data-plane table through a named pipe that DuckDB's `read_csv`
 * reads while the source writes: parsing and type conversion happen in DuckDB's C++ with the
 * explicit column types, no row becomes a JS object, and memory stays at a few pipe buffers.
 * If anything fails (source, DuckDB, abort) the table is dropped: no partial output is kept.
 * Returns the row count and the final column types (unconstrained numerics narrowed).
 */
export async function loadCsvIntoDataPlane(
  options: CsvIntoDataPlaneOptions,
): Promise<{ rows: number; columns: SourceColumn[] }> {
  const { dataPlane, signal } = options;
  const table = dataPlane.quote(options.table);
  const sources = Array.isArray(options.source) ? options.source : [options.source as CsvSource];
  if (options.stream) {
    // Unconstrained numerics get their type from the values once loaded, and a parallel read's
    // ranges meet in one table: both need the table; the consumer then reads it when complete.
    const inferred = options.columns.filter((column) => column.inferDecimal).map((column) => column.name);
    if (sources.length === 1 && inferred.length === 0)
      return {
        rows: await streamAsView(options, sources[0]!, options.stream),
        columns: [...options.columns],
      };
    options.onDebug?.('output kept as a table instead of streamed', {
      reason: sources.length > 1 ? 'a parallel read' : 'numeric columns without a declared scale',
      ...(inferred.length > 0 ? { columns: inferred } : {}),
    });
  }
  const duckdb = await borrowDuckdbConnection(dataPlane);
  let created = false;
  try {
    signal.throwIfAborted();
    const definitions = options.columns
      .map((column) => `${dataPlane.quote(column.name)} ${column.duckdbType}`)
      .join(', ');
    await duckdb.connection.run(`CREATE OR REPLACE TABLE ${table} (${definitions})`);
    created = true;
    const rows =
      sources.length === 1
        ? await withFifo(pipeDirectory(dataPlane), (fifo) =>
            streamThroughPipe({ ...options, source: sources[0]! }, duckdb.connection, table, fifo),
          )
        : await streamInParallel(options, sources, table);
    const columns = await narrowNumericColumns(
      duckdb.connection,
      dataPlane,
      table,
      options.columns,
      options.onWarning,
    );
    return { rows, columns };
  } catch (error) {
    if (created) {
      await duckdb.connection.run(`DROP TABLE IF EXISTS ${table}`).catch((dropError: unknown) =>
        options.onWarning?.('could not drop the partly loaded table', {
          table: options.table,
          error: String(dropError),
        }),
      );
    }
    throw error;
  } finally {
    duckdb.release();
  }
}

/**
 * Every source through its own pipe and DuckDB connection at once. The first failure stops the
 * others (their rows would be dropped with the table anyway) and is the one reported.
 */
async function streamInParallel(
  options: CsvIntoDataPlaneOptions,
  sources: readonly CsvSource[],
  table: string,
): Promise<number> {
  const stopOthers = new AbortController();
  const signal = AbortSignal.any([options.signal, stopOthers.signal]);
  let firstError: unknown;
  const results = await Promise.allSettled(
    sources.map(async (source) => {
      const duckdb = await borrowDuckdbConnection(options.dataPlane);
      try {
        return await withFifo(pipeDirectory(options.dataPlane), (fifo) =>
          streamThroughPipe({ ...options, source, signal }, duckdb.connection, table, fifo),
        );
      } catch (error) {
        if (!stopOthers.signal.aborted) {
          firstError = error;
          stopOthers.abort();
        }
        throw error;
      } finally {
        duckdb.release();
      }
    }),
  );
  options.signal.throwIfAborted();
  if (firstError !== undefined) throw firstError;
  return results.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value : 0), 0);
}

async function streamThroughPipe(
  options: CsvIntoDataPlaneOptions & { source: CsvSource },
  duckdb: DuckDBConnection,
  table: string,
  fifo: string,
): Promise<number> {
  const { source, signal } = options;
  const load = duckdb.run(loadSql(options.columns, table, fifo, options.dataPlane));
  const sink = await openFifoWriter(fifo, load);
  if (!sink)
    throw loadError(
      await load.then(
        () => 'DuckDB ended before reading the rows',
        (error) => error,
      ),
      options,
    );

  // Destroying our end of the pipe gives DuckDB end-of-file.
  const stop = () => {
    source.stop();
    sink.destroy();
  };
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  // The first failure is the cause: when DuckDB gives up, the source fails only because we stop it,
  // and when the source fails, DuckDB may then trip over the truncated last row.
  let firstFailure: 'source' | 'load' | undefined;
  // A broken pipe on our end means DuckDB stopped reading first, whatever error the source then
  // reports (pipeTo may surface the source's own "connection terminated" instead of EPIPE).
  let duckdbClosedPipe = false;
  sink.on('error', (error: unknown) => {
    if (isBrokenPipe(error)) duckdbClosedPipe = true;
  });
  const transfer = source
    .pipeTo(sink)
    .catch((error: unknown) => {
      firstFailure ??= 'source';
      throw error;
    })
    .finally(() => sink.destroy());
  // DuckDB stopping early (bad value, out of disk) leaves nobody reading the pipe: stop the source.
  load.catch(() => {
    firstFailure ??= 'load';
    stop();
  });
  const [transferred, loaded] = await Promise.allSettled([transfer, load]);
  signal.removeEventListener('abort', stop);

  signal.throwIfAborted();
  // DuckDB closing the pipe can reach us as a broken pipe before its own error arrives.
  const sourceFailedFirst =
    transferred.status === 'rejected' &&
    firstFailure === 'source' &&
    !duckdbClosedPipe &&
    !isBrokenPipe(transferred.reason);
  if (loaded.status === 'rejected' && !sourceFailedFirst) throw loadError(loaded.reason, options);
  if (transferred.status === 'rejected') throw transferred.reason;
  if (loaded.status === 'rejected') throw loadError(loaded.reason, options);
  const loadedRows = loaded.value.rowsChanged;
  if (loadedRows !== transferred.value) {
    throw new OsirisError(
      ErrorCodes.INTERNAL,
      `${options.ref}: the source sent ${transferred.value} rows but DuckDB parsed ${loadedRows}; the table was discarded`,
      { hint: 'This is a bug in the extractor: please report it with the column types of the source.' },
    );
  }
  return loadedRows;
}

/**
 * The output as a view over the pipe, published to the consumer, whose one statement (a COPY to
 * Parquet, say) reads the rows while the source sends them: nothing is stored in the data plane
 * and the rows are parsed once. The consumer commits only once this step has succeeded (the
 * runtime holds it back), so a source failing mid-stream leaves no output. When the consumer's
 * statement fails on a value of these rows, that is this step's failure, reported as a load
 * failure would be; any other consumer failure (a full disk) stops this step.
 */
async function streamAsView(
  options: CsvIntoDataPlaneOptions,
  source: CsvSource,
  stream: OutputStream,
): Promise<number> {
  const { dataPlane } = options;
  const view = dataPlane.quote(options.table);
  const duckdb = await borrowDuckdbConnection(dataPlane);
  try {
    return await withFifo(pipeDirectory(dataPlane), async (fifo) => {
      await duckdb.connection.run(
        `CREATE OR REPLACE VIEW ${view} AS ${selectSql(options.columns, fifo, dataPlane, true)}`,
      );
      try {
        return await feedReader(options, source, stream, fifo);
      } catch (error) {
        await duckdb.connection.run(`DROP VIEW IF EXISTS ${view}`).catch(() => undefined);
        throw error;
      }
    });
  } finally {
    duckdb.release();
  }
}

async function feedReader(
  options: CsvIntoDataPlaneOptions,
  source: CsvSource,
  stream: OutputStream,
  fifo: string,
): Promise<number> {
  const { signal } = options;
  stream.published();
  const sink = await openFifoWriter(fifo, stream.readerDone);
  if (!sink) throw readerFailure((await stream.readerDone).error, options, stream);
  const stop = () => {
    source.stop();
    sink.destroy();
  };
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  let readerFailed = false;
  void stream.readerDone.then(({ error }) => {
    if (error === undefined) return;
    readerFailed = true;
    stop();
  });
  let duckdbClosedPipe = false;
  sink.on('error', (error: unknown) => {
    if (isBrokenPipe(error)) duckdbClosedPipe = true;
  });
  try {
    const rows = await source.pipeTo(sink).finally(() => sink.destroy());
    // The consumer's statement ends at our end-of-file: only then are the rows known to be read.
    const { error } = await stream.readerDone;
    if (error !== undefined) throw readerFailure(error, options, stream);
    return rows;
  } catch (error) {
    signal.throwIfAborted();
    // The reader stopping first is the cause, whatever the source then reported.
    if (readerFailed || duckdbClosedPipe || isBrokenPipe(error)) {
      const reader = await stream.readerDone;
      if (reader.error !== undefined) throw readerFailure(reader.error, options, stream);
    }
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/**
 * Why the consumer stopped reading, as this step reports it: a value of these rows DuckDB could
 * not read is this step's load failure (with DuckDB's message scrubbed of the data, as when it
 * loads a table); anything else is the consumer's own failure, which stops this step.
 */
function readerFailure(error: unknown, options: CsvIntoDataPlaneOptions, stream: OutputStream): OsirisError {
  const raw = innermostMessage(error);
  if (/CSV Error|Conversion Error|Could not convert|Error when converting/i.test(raw))
    return loadError(new Error(raw), options);
  return new CancelledError(
    `${options.ref}: stopped sending rows: step ${stream.consumer}, which was reading them, failed`,
  );
}

function innermostMessage(error: unknown): string {
  let current = error;
  while (isOsirisError(current) && current.cause !== undefined) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * PostgreSQL's CSV: NULL is an empty unquoted field, an empty string is `""`
 * (`allow_quoted_nulls = false` keeps them apart); no header; explicit types, no sniffing.
 * Columns are read by position (`c0`, `c1`, ...) so odd or repeated names cannot clash.
 * Lines end in `\n` (COPY TO STDOUT's and the MySQL transcoder's): left to detection, DuckDB takes a
 * `\r\n` inside the first row's quoted text for the line ending and then fails on that row.
 */
function loadSql(
  columns: readonly SourceColumn[],
  table: string,
  fifo: string,
  dataPlane: DataPlane,
): string {
  return `INSERT INTO ${table} ${selectSql(columns, fifo, dataPlane)}`;
}

/**
 * The rows of the pipe as a SELECT. `asView`: each value is cast to its column's DuckDB type
 * and named, as the table would have them (an INSERT casts by position on its own).
 */
function selectSql(
  columns: readonly SourceColumn[],
  fifo: string,
  dataPlane: DataPlane,
  asView = false,
): string {
  const types = columns
    .map((column, index) => `'c${index}': '${wideDecimal(column.csvType) ? 'VARCHAR' : column.csvType}'`)
    .join(', ');
  const values = columns.map((column, index) => {
    const field = `c${index}`;
    const wide = wideDecimal(column.csvType);
    // Exact either way; values of up to 18 digits (nearly all) take DuckDB's fast 64-bit parse.
    if (wide)
      return `COALESCE(TRY_CAST(${field} AS DECIMAL(18,${wide.scale})), CAST(${field} AS ${column.csvType}))`;
    if (column.load === 'hex-to-blob') return `unhex(substr(${field}, 3))`;
    if (column.load === 'json-to-list')
      return `CAST(CAST(CAST(${field} AS JSON) AS VARCHAR[]) AS ${column.duckdbType})`;
    return field;
  });
  const selected = asView
    ? values.map(
        (value, index) =>
          `CAST(${value} AS ${columns[index]!.duckdbType}) AS ${quotedIdentifier(columns[index]!.name)}`,
      )
    : values;
  return (
    `SELECT ${selected.join(', ')} FROM read_csv(${duckdbPathLiteral(fifo)}, ` +
    `columns = {${types}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', ` +
    `nullstr = '', allow_quoted_nulls = false, max_line_size = ${dataPlane.maxRowBytes}, buffer_size = ${csvBufferBytes(dataPlane)})`
  );
}

/**
 * DuckDB parses text into a DECIMAL wider than 18 digits (a 128-bit integer) about 25 times
 * slower than into one of up to 18 (measured: 300,000 values of DECIMAL(24,4) in 3.6 s against
 * 0.14 s), enough to make a `DECIMAL(19,4)` money column the slowest part of a whole extract.
 */
function wideDecimal(csvType: string): { scale: number } | undefined {
  const match = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(csvType);
  if (!match) return undefined;
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  return precision > 18 && scale <= 18 ? { scale } : undefined;
}

function isBrokenPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function loadError(error: unknown, options: CsvIntoDataPlaneOptions): OsirisError {
  if (isOsirisError(error)) return error;
  // The disk filling up is no problem of the rows or the query: say so, with the disk's hint.
  const diskFull = diskFullError(error, options.dataPlane.directory);
  if (diskFull) return diskFull;
  const facts = csvErrorFacts(error instanceof Error ? error.message : String(error));
  // Columns are read as c0, c1, ... (loadSql); name the source's column and types instead.
  const column = facts.column === undefined ? undefined : options.columns[Number(facts.column.slice(1))];
  const where = [
    facts.line === undefined ? undefined : `row ${facts.line}`,
    column ? `column "${column.name}" (${column.postgresType} → ${column.duckdbType})` : undefined,
  ].filter(Boolean);
  if (/Maximum line size of \d+ bytes exceeded/.test(facts.message)) {
    return new OsirisError(
      ErrorCodes.SOURCE_READ_FAILED,
      `${options.ref}: a row${facts.line === undefined ? '' : ` (row ${facts.line})`} is longer than the ${options.dataPlane.maxRowBytes} bytes DuckDB reads in one line`,
      {
        hint: 'Raise `max_row_size` under `data_plane:` in osiris.yaml (or OSIRIS_MAX_ROW_SIZE, e.g. 16MiB), or leave the largest columns out of `query`.',
        ...(facts.line === undefined ? {} : { details: { row: facts.line } }),
      },
    );
  }
  // DuckDB's message quotes the row; it is not kept, not even as the cause.
  return new OsirisError(
    ErrorCodes.SOURCE_READ_FAILED,
    `${options.ref}: DuckDB could not load the rows${where.length > 0 ? ` (${where.join(', ')})` : ''}: ${facts.message}`,
    {
      hint: column
        ? (options.castHint?.(column) ??
          `Cast that column to text in \`query\` (e.g. \`${column.sourceName}::text\`) to keep PostgreSQL's own text.`)
        : 'A value had no exact DuckDB equivalent: cast that column to text in `query` (e.g. `col::text`).',
      details: {
        ...(facts.line === undefined ? {} : { row: facts.line }),
        ...(column ? { column: column.name, type: column.postgresType } : {}),
      },
    },
  );
}
