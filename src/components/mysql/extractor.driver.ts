import type { FieldPacket } from 'mysql2';
import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { Driver, DriverResult, DriverRunInput } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { csvBufferBytes, loadCsvIntoDataPlane } from '../postgres/csv-into-data-plane.js';
import type { SourceColumn as CsvColumn } from '../postgres/describe-query.js';
import {
  affordableRanges,
  integerRanges,
  optionalCount,
  type ParallelRead,
  parseParallel,
  parseSourceConfig,
  type SourceConfig,
} from '../shared/database-config.js';
import { cancelled, connectMysql, destroyOnAbort, type MysqlSession } from './client.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { startCsvRowQuery } from './csv-row-source.js';
import { buildExtractQuery, quoteMysqlIdentifier } from './extract-query.js';
import { errorCodeOf, statementError } from './mysql-errors.js';
import { type SourceColumn, sourceColumn } from './source-columns.js';
import { uniqueColumnNames } from './unique-column-names.js';

const COMPONENT = 'mysql.extractor';
const DEFAULT_FETCH_SIZE = 10_000;

type ExtractorConfig = SourceConfig & { fetchSize: number; parallel?: ParallelRead };

function parseExtractorConfig(config: Record<string, unknown>): ExtractorConfig {
  const source = parseSourceConfig(config, COMPONENT);
  const fetchSize = optionalCount(config.fetch_size, 'fetch_size', COMPONENT);
  const parallel = parseParallel(config, COMPONENT);
  return { ...source, fetchSize: fetchSize ?? DEFAULT_FETCH_SIZE, ...(parallel ? { parallel } : {}) };
}

function columnsOf(fields: readonly FieldPacket[]): SourceColumn[] {
  const names = uniqueColumnNames(fields.map((field) => field.name));
  return fields.map((field, index) => {
    const column = sourceColumn(field);
    return { ...column, info: { ...column.info, name: names[index]! } };
  });
}

/** The CSV loader's view of a column: what DuckDB parses from the CSV field, and the table's type. */
function csvColumn(column: SourceColumn, field: FieldPacket): CsvColumn {
  const bytes = column.cell === 'bytes';
  return {
    name: column.info.name,
    sourceName: field.name,
    postgresType: column.mysqlType,
    duckdbType: column.info.type,
    csvType: bytes || column.cell === 'text' ? 'VARCHAR' : column.info.type,
    source: 'plain',
    load: bytes ? 'hex-to-blob' : 'plain',
    inferDecimal: false,
  };
}

/**
 * Rows go from the server's text-protocol packets to CSV bytes (csv-row-writer.ts) and through a
 * named pipe into DuckDB's `read_csv`, the PostgreSQL extractor's path: parsing and storing run
 * in DuckDB's threads, not as a JS value per cell on the main thread. The socket pauses whenever
 * the pipe is full, so memory stays flat whatever the table size.
 */
async function extract(
  sessions: readonly MysqlSession[],
  input: DriverRunInput,
  config: ExtractorConfig,
  sqls: readonly string[],
): Promise<DriverResult> {
  const { ctx, stepId } = input;
  const session = sessions[0]!;
  const totalRows = await rowEstimate(session, config, ctx);
  // Each range counts its own rows; progress shows their sum.
  const counted = sqls.map(() => 0);
  const progressOf = (index: number) => (rows: number) => {
    counted[index] = rows;
    const sum = counted.reduce((total, value) => total + value, 0);
    ctx.progress(sum, totalRows === undefined ? undefined : { totalRows });
  };
  let fields: FieldPacket[] = [];
  const started = [];
  for (const [index, sql] of sqls.entries()) {
    started.push(
      await startCsvRowQuery(
        sessions[index]!,
        sql,
        (received) => {
          if (index === 0) fields = received;
          return columnsOf(received);
        },
        {
          onProgress: progressOf(index),
          progressEvery: config.fetchSize,
          maxLineBytes: ctx.dataPlane.maxRowBytes,
        },
      ),
    );
  }
  const columns = started[0]!.columns;
  ctx.log.debug('mysql result columns', {
    columns: columns.map((column) => `${column.info.name} ${column.info.type}`),
  });
  const table = ctx.dataPlane.tableFor(stepId);
  const { rows } = await loadCsvIntoDataPlane({
    dataPlane: ctx.dataPlane,
    table,
    columns: columns.map((column, index) => csvColumn(column, fields[index]!)),
    source: started.map((query) => query.source),
    signal: ctx.signal,
    ref: session.settings.ref,
    onWarning: (message, details) => ctx.log.warn(message, details),
    castHint: (column) =>
      `Cast that column to text in \`query\` (e.g. \`CAST(${quoteMysqlIdentifier(column.sourceName)} AS CHAR)\`) to keep MySQL's own text.`,
    ...(ctx.outputStream ? { stream: ctx.outputStream } : {}),
    onDebug: (message, details) => ctx.log.debug(message, details),
  });
  ctx.progress(rows);
  for (const each of sessions) await each.query.query('COMMIT');
  return { table, rows };
}

/** A read-only snapshot: the extractor can never change the source, and sees one consistent state. */
async function beginSnapshot(session: MysqlSession): Promise<void> {
  await session.query.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
}

/**
 * The statement of each range of a parallel read: the extract query filtered to `[from, to)` of
 * the partition column (NULLs with the first range). Bounds come from the server's MIN/MAX of
 * that column in the first session's snapshot; a column whose bounds are not integers is refused.
 */
async function rangeQueries(
  session: MysqlSession,
  config: ExtractorConfig,
  sql: string,
  parallel: ParallelRead,
): Promise<{ column: string; sqls: string[] }> {
  const column = parallel.column ?? (await singlePrimaryKey(session, config));
  const quoted = quoteMysqlIdentifier(column);
  let bounds: { lo: unknown; hi: unknown } | undefined;
  try {
    const [rows] = await session.query.query(
      `SELECT CAST(MIN(${quoted}) AS CHAR) AS lo, CAST(MAX(${quoted}) AS CHAR) AS hi FROM (${sql}) AS osiris_range`,
    );
    bounds = (rows as Array<{ lo: unknown; hi: unknown }>)[0];
  } catch (error) {
    if (errorCodeOf(error) !== 'ER_BAD_FIELD_ERROR') throw error;
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${COMPONENT}: partition_column "${column}" is not a column of the result`,
      {
        hint: 'Name an integer column of the table or query, ideally the primary key.',
      },
    );
  }
  if (bounds?.lo === null || bounds?.lo === undefined) return { column, sqls: [sql] };
  const [lo, hi] = [String(bounds.lo), String(bounds.hi)];
  if (!/^-?\d+$/.test(lo) || !/^-?\d+$/.test(hi)) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${COMPONENT}: partition_column "${column}" holds ${JSON.stringify(lo)}…; a parallel read splits an integer column`,
      {
        hint: 'Name an integer column, ideally the primary key, or leave `parallel` out to read in one stream.',
      },
    );
  }
  const sqls = integerRanges(BigInt(lo), BigInt(hi), parallel.ways).map(
    ({ from, to }, range) =>
      `SELECT * FROM (${sql}) AS osiris_range WHERE (${quoted} >= ${from} AND ${quoted} < ${to}${range === 0 ? ` OR ${quoted} IS NULL` : ''})`,
  );
  return { column, sqls };
}

async function singlePrimaryKey(session: MysqlSession, config: ExtractorConfig): Promise<string> {
  if ('table' in config) {
    const [rows] = await session.query.query(
      "SELECT column_name AS name FROM information_schema.key_column_usage WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? AND constraint_name = 'PRIMARY'",
      [config.schema ?? null, config.table],
    );
    const names = (rows as Array<{ name: string }>).map((row) => row.name);
    if (names.length === 1) return names[0]!;
  }
  throw new OsirisError(ErrorCodes.USAGE, `${COMPONENT}: \`parallel\` needs a column to split the read by`, {
    hint:
      'table' in config
        ? `${config.table} has no single-column primary key: set \`partition_column\` to an integer column.`
        : 'A `query` read needs `partition_column`: an integer column of its result.',
  });
}

/**
 * The server's row estimate of a whole-table read (information_schema.tables.table_rows: InnoDB's
 * sampled count), so a terminal can show percent done and time left. Only a guide: a filtered,
 * limited or query read has none, and the estimate being unavailable never fails the step.
 */
async function rowEstimate(
  session: MysqlSession,
  config: ExtractorConfig,
  ctx: DriverRunInput['ctx'],
): Promise<number | undefined> {
  if (!('table' in config) || config.limit !== undefined || ctx.incremental) return undefined;
  try {
    const [rows] = await session.query.query(
      'SELECT table_rows AS estimate FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?',
      [config.schema ?? null, config.table],
    );
    const estimate = Number((rows as Array<{ estimate?: unknown }>)[0]?.estimate);
    return Number.isFinite(estimate) && estimate > 0 ? estimate : undefined;
  } catch (error) {
    ctx.log.debug('no row estimate for progress', { error: String((error as Error)?.message ?? error) });
    return undefined;
  }
}

async function runExtractor(input: DriverRunInput): Promise<DriverResult> {
  const { ctx } = input;
  const config = parseExtractorConfig(input.config);
  const settings = resolveMysqlSettings(ctx.connection, input.config);
  const sql = buildExtractQuery(config, ctx.incremental);
  const sessions: MysqlSession[] = [];
  const watches: Array<() => void> = [];
  const connect = async () => {
    const session = await connectMysql(settings, {
      signal: ctx.signal,
      ...(ctx.connection ? { retry: resolveRetryPolicy(ctx.connection) } : {}),
      onRetry: reportRetry(ctx),
    });
    sessions.push(session);
    watches.push(destroyOnAbort(session, ctx.signal));
    return session;
  };
  try {
    const first = await connect();
    await beginSnapshot(first);
    let sqls = [sql];
    const ways = config.parallel
      ? await affordableRanges(
          ctx.dataPlane,
          config.parallel.ways,
          csvBufferBytes(ctx.dataPlane),
          (message, fields) => ctx.log.warn(message, fields),
        )
      : 1;
    if (config.parallel && ways > 1) {
      const ranges = await rangeQueries(first, config, sql, { ...config.parallel, ways });
      sqls = ranges.sqls;
      ctx.log.debug('parallel read', { ranges: sqls.length, partition_column: ranges.column });
      // Each range is a consistent snapshot of its own, started a moment after the first: MySQL
      // cannot share one between connections (the spec says so).
      for (const _ of sqls.slice(1)) await beginSnapshot(await connect());
    }
    const result = await extract(sessions, input, config, sqls);
    await Promise.all(sessions.map((session) => session.close()));
    return result;
  } catch (error) {
    // The result may be half-read: closing politely would wait for the rest of it.
    for (const session of sessions) session.destroy();
    if (isOsirisError(error) && error.code === ErrorCodes.USAGE) throw error;
    if (ctx.signal.aborted) throw cancelled();
    const readOnly = errorCodeOf(error) === 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION';
    throw statementError(
      readOnly ? ErrorCodes.READ_ONLY_VIOLATION : ErrorCodes.SOURCE_READ_FAILED,
      `reading ${'table' in config ? `table ${config.table}` : 'the query result'} failed`,
      error,
      settings,
      readOnly
        ? 'mysql.extractor only reads: use a SELECT, and mysql.writer to change data'
        : 'check the table, column names and query against the source (`osiris discover` lists them)',
    );
  } finally {
    for (const stopWatching of watches) stopWatching();
  }
}

export const driver: Driver = { run: runExtractor };
