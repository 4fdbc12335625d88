import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { DataPlane } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { PostgresSession } from './client.js';
import { type CsvSource, loadCsvIntoDataPlane } from './csv-into-data-plane.js';
import { asSubquery, describeQuery, type SourceColumn } from './describe-query.js';
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
  /**
   * Settings made for the transaction before the query runs (`set_config(name, value, true)`, both
   * bound): how values reach a COPY, which takes no parameters. The query reads them with
   * `current_setting(name)`.
   */
  settings?: Record<string, string>;
}

export interface CopyIntoDataPlaneResult {
  rows: number;
  bytes: number;
  columns: SourceColumn[];
}

/**
 * Move a query's result from PostgreSQL into a data-plane table.
 *
 * Design: `COPY (query) TO STDOUT (FORMAT csv)` is PostgreSQL's fastest way out (the server
 * formats rows in C, no per-row protocol messages). Its bytes are piped, never parsed in JS,
 * into the named pipe DuckDB's `read_csv` is reading (loadCsvIntoDataPlane), so PostgreSQL
 * formatting, the transfer and DuckDB's parsing all overlap, and memory stays at a few buffers
 * whatever the table size. Parsing the CSV in JS and appending values would cost a JS value per
 * cell and run several times slower.
 *
 * Everything runs in one REPEATABLE READ, READ ONLY transaction (the row description and the
 * rows come from the same snapshot, and the query cannot write). On failure or abort the COPY
 * is stopped by closing the connection and the half-filled table is dropped.
 */
export async function copyQueryIntoDataPlane(
  options: CopyIntoDataPlaneOptions,
): Promise<CopyIntoDataPlaneResult> {
  const { session, signal } = options;
  try {
    signal.throwIfAborted();
    await session.client.query(BEGIN_READ_ONLY_SNAPSHOT);
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      await session.client.query('SELECT set_config($1, $2, true)', [name, value]);
    }
    const described = await describeQuery(session.client, options.query);
    if (described.length === 0) {
      throw new OsirisError(ErrorCodes.USAGE, `${session.ref}: the query returns no columns`, {
        hint: 'Select at least one column.',
      });
    }
    const progress = new CountingProgress(options.onProgress);
    const { rows, columns } = await loadCsvIntoDataPlane({
      dataPlane: options.dataPlane,
      table: options.table,
      columns: described,
      source: copySource(session, copyOutSql(options.query, described), progress),
      signal,
      ref: session.ref,
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    await session.client.query('COMMIT');
    progress.finish(rows);
    return { rows, bytes: progress.bytes, columns };
  } catch (error) {
    if (signal.aborted) {
      throw new CancelledError(`${session.ref}: extraction cancelled; no rows were kept`, {
        cause: error,
      });
    }
    throw session.error(error, `reading from ${session.where}`, ErrorCodes.QUERY_FAILED);
  }
}

function copySource(session: PostgresSession, sql: string, progress: CountingProgress): CsvSource {
  let stopped = false;
  let stream: ReturnType<typeof copyTo> | undefined;
  return {
    async pipeTo(sink) {
      if (stopped) throw new CancelledError(`${session.ref}: stopped before the COPY started`);
      const copy = session.client.query(copyTo(sql));
      stream = copy;
      copy.on('data', (chunk: Buffer) => progress.add(chunk));
      await pipeline(copy, sink);
      return copy.rowCount;
    },
    // The only way to stop a COPY TO in flight is to drop the connection; the server then
    // aborts the statement at its next write.
    stop() {
      stopped = true;
      stream?.destroy();
      void session.close();
    },
  };
}

/** Columns are renamed to positions (`c0`, `c1`, ...) so duplicate or odd result names cannot clash. */
function copyOutSql(query: string, columns: readonly SourceColumn[]): string {
  const aliases = columns.map((_, index) => `c${index}`);
  const selected = columns.map((column, index) => {
    const text = column.source === 'array-as-json' ? `array_to_json(q.c${index}::text[])` : `q.c${index}`;
    // PostgreSQL prints mixed-sign intervals as `-3 days +04:05:06`; DuckDB reads every part
    // with its own sign but refuses the explicit `+`, which only ever marks a positive part.
    return /^INTERVAL(\[\])?$/.test(column.duckdbType) ? `replace(${text}::text, '+', '')` : text;
  });
  return `COPY (SELECT ${selected.join(', ')} FROM ${asSubquery(query)} AS q(${aliases.join(', ')})) TO STDOUT (FORMAT csv)`;
}
