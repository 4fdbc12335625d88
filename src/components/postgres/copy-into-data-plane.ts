import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import type { DataPlane, OutputStream } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import { integerRanges } from '../shared/database-config.js';
import type { PostgresSession } from './client.js';
import { type CsvSource, loadCsvIntoDataPlane } from './csv-into-data-plane.js';
import { asSubquery, describeQuery, type SourceColumn } from './describe-query.js';
import { CountingProgress } from './progress-counter.js';
import { BEGIN_READ_ONLY_SNAPSHOT, beginInSnapshot } from './session-settings.js';

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
  /**
   * Read in `ways` ranges of an integer column at once, over `ways` connections sharing one
   * snapshot. `openSession` opens the extra connections.
   */
  parallel?: { column: string; ways: number; openSession(): Promise<PostgresSession> };
  /** Stream the rows into the step's one consumer instead of a table (see CsvIntoDataPlaneOptions.stream). */
  stream?: OutputStream;
  onDebug?: (message: string, fields: Record<string, unknown>) => void;
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
 * rows come from the same snapshot, and the query cannot write); a parallel read's other
 * connections import that snapshot, so its ranges read the same state. On failure or abort the
 * COPY is stopped by closing the connection and the half-filled table is dropped.
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
    const ranges = options.parallel ? await parallelRanges(options, described) : undefined;
    const extra: PostgresSession[] = [];
    try {
      const sessions = [session];
      // The first range reads on this session; each other range gets one of its own.
      while (ranges && sessions.length < ranges.filters.length) {
        const opened = await options.parallel!.openSession();
        extra.push(opened);
        await opened.client.query(beginInSnapshot(ranges.snapshot));
        for (const [name, value] of Object.entries(options.settings ?? {})) {
          await opened.client.query('SELECT set_config($1, $2, true)', [name, value]);
        }
        sessions.push(opened);
      }
      const sources = ranges
        ? ranges.filters.map((where, index) =>
            copySource(sessions[index]!, copyOutSql(options.query, described, where), progress),
          )
        : copySource(session, copyOutSql(options.query, described), progress);
      const { rows, columns } = await loadCsvIntoDataPlane({
        dataPlane: options.dataPlane,
        table: options.table,
        columns: described,
        source: sources,
        signal,
        ref: session.ref,
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
        ...(options.stream ? { stream: options.stream } : {}),
        ...(options.onDebug ? { onDebug: options.onDebug } : {}),
      });
      for (const opened of sessions) await opened.client.query('COMMIT');
      progress.finish(rows);
      return { rows, bytes: progress.bytes, columns };
    } finally {
      await Promise.all(extra.map((opened) => opened.close()));
    }
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

/**
 * The snapshot to share and one filter per range of the partition column: `[lo, hi]` cut into
 * `ways` contiguous half-open ranges of nearly equal width (the last ends past `hi`), NULLs with the first. An
 * empty result, or fewer values than ranges, reads in fewer ranges.
 */
async function parallelRanges(
  options: CopyIntoDataPlaneOptions,
  columns: readonly SourceColumn[],
): Promise<{ snapshot: string; filters: string[] }> {
  const { session } = options;
  const { column: name, ways } = options.parallel!;
  const exact = columns.findIndex((column) => column.sourceName === name);
  const index =
    exact >= 0
      ? exact
      : columns.findIndex((column) => column.sourceName.toLowerCase() === name.toLowerCase());
  const column = columns[index];
  if (!column || !/^(SMALLINT|INTEGER|BIGINT)$/.test(column.duckdbType)) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      column
        ? `${session.ref}: partition_column "${name}" is ${column.postgresType}; a parallel read splits an integer column`
        : `${session.ref}: partition_column "${name}" is not a column of the result (columns: ${columns.map((c) => c.sourceName).join(', ')})`,
      {
        hint: 'Name an integer column, ideally the primary key, or leave `parallel` out to read in one stream.',
      },
    );
  }
  const snapshot = (await session.client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!
    .id;
  const aliases = columns.map((_, position) => `c${position}`).join(', ');
  const bounds = await session.client.query<{ lo: string | null; hi: string | null }>(
    `SELECT min(q.c${index})::text AS lo, max(q.c${index})::text AS hi FROM ${asSubquery(options.query)} AS q(${aliases})`,
  );
  const { lo, hi } = bounds.rows[0] ?? { lo: null, hi: null };
  const field = `q.c${index}`;
  if (lo === null || hi === null) return { snapshot, filters: ['true'] };
  const filters = integerRanges(BigInt(lo), BigInt(hi), ways).map(
    ({ from, to }, range) =>
      `(${field} >= ${from} AND ${field} < ${to}${range === 0 ? ` OR ${field} IS NULL` : ''})`,
  );
  return { snapshot, filters };
}

/** Columns are renamed to positions (`c0`, `c1`, ...) so duplicate or odd result names cannot clash. */
function copyOutSql(query: string, columns: readonly SourceColumn[], where?: string): string {
  const aliases = columns.map((_, index) => `c${index}`);
  const selected = columns.map((column, index) => {
    const text = column.source === 'array-as-json' ? `array_to_json(q.c${index}::text[])` : `q.c${index}`;
    // PostgreSQL prints mixed-sign intervals as `-3 days +04:05:06`; DuckDB reads every part
    // with its own sign but refuses the explicit `+`, which only ever marks a positive part.
    return /^INTERVAL(\[\])?$/.test(column.duckdbType) ? `replace(${text}::text, '+', '')` : text;
  });
  const filter = where ? ` WHERE ${where}` : '';
  return `COPY (SELECT ${selected.join(', ')} FROM ${asSubquery(query)} AS q(${aliases.join(', ')})${filter}) TO STDOUT (FORMAT csv)`;
}
