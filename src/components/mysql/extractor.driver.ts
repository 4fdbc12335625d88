import type { FieldPacket } from 'mysql2';
import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { Driver, DriverResult, DriverRunInput } from '../../spec/driver.js';
import { ErrorCodes } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { loadCsvIntoDataPlane, MAX_LINE_BYTES } from '../postgres/csv-into-data-plane.js';
import type { SourceColumn as CsvColumn } from '../postgres/describe-query.js';
import { optionalCount, parseSourceConfig, type SourceConfig } from '../shared/database-config.js';
import { cancelled, connectMysql, destroyOnAbort, type MysqlSession } from './client.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { startCsvRowQuery } from './csv-row-source.js';
import { buildExtractQuery, quoteMysqlIdentifier } from './extract-query.js';
import { errorCodeOf, statementError } from './mysql-errors.js';
import { type SourceColumn, sourceColumn } from './source-columns.js';
import { uniqueColumnNames } from './unique-column-names.js';

const DEFAULT_FETCH_SIZE = 10_000;

type ExtractorConfig = SourceConfig & { fetchSize: number };

function parseExtractorConfig(config: Record<string, unknown>): ExtractorConfig {
  const source = parseSourceConfig(config, 'mysql.extractor');
  const fetchSize = optionalCount(config.fetch_size, 'fetch_size', 'mysql.extractor');
  return { ...source, fetchSize: fetchSize ?? DEFAULT_FETCH_SIZE };
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
  session: MysqlSession,
  input: DriverRunInput,
  config: ExtractorConfig,
  sql: string,
): Promise<DriverResult> {
  const { ctx, stepId } = input;
  const totalRows = await rowEstimate(session, config, ctx);
  const progress = (rows: number) => ctx.progress(rows, totalRows === undefined ? undefined : { totalRows });
  // A read-only snapshot: the extractor can never change the source, and sees one consistent state.
  await session.query.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  let fields: FieldPacket[] = [];
  const { columns, source } = await startCsvRowQuery(
    session,
    sql,
    (received) => {
      fields = received;
      return columnsOf(received);
    },
    {
      onProgress: progress,
      progressEvery: config.fetchSize,
      maxLineBytes: MAX_LINE_BYTES,
    },
  );
  ctx.log.debug('mysql result columns', {
    columns: columns.map((column) => `${column.info.name} ${column.info.type}`),
  });
  const table = ctx.dataPlane.tableFor(stepId);
  const { rows } = await loadCsvIntoDataPlane({
    dataPlane: ctx.dataPlane,
    table,
    columns: columns.map((column, index) => csvColumn(column, fields[index]!)),
    source,
    signal: ctx.signal,
    ref: session.settings.ref,
    onWarning: (message, details) => ctx.log.warn(message, details),
    castHint: (column) =>
      `Cast that column to text in \`query\` (e.g. \`CAST(${quoteMysqlIdentifier(column.sourceName)} AS CHAR)\`) to keep MySQL's own text.`,
  });
  ctx.progress(rows);
  await session.query.query('COMMIT');
  return { table, rows };
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
  const session = await connectMysql(settings, {
    signal: ctx.signal,
    ...(ctx.connection ? { retry: resolveRetryPolicy(ctx.connection) } : {}),
    onRetry: reportRetry(ctx),
  });
  const stopWatchingAbort = destroyOnAbort(session, ctx.signal);
  try {
    const result = await extract(session, input, config, sql);
    await session.close();
    return result;
  } catch (error) {
    // The result may be half-read: closing politely would wait for the rest of it.
    session.destroy();
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
    stopWatchingAbort();
  }
}

export const driver: Driver = { run: runExtractor };
