import type { FieldPacket } from 'mysql2';
import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { Driver, DriverResult, DriverRunInput } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { cancelled, connectMysql, destroyOnAbort, type MysqlSession } from './client.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { buildExtractQuery, type ExtractConfig } from './extract-query.js';
import { errorCodeOf, statementError } from './mysql-errors.js';
import { rowBatches } from './row-batches.js';
import { type SourceColumn, sourceColumn, typeCast } from './source-columns.js';
import { uniqueColumnNames } from './unique-column-names.js';

const DEFAULT_FETCH_SIZE = 10_000;
/** Rows the socket may run ahead of the batch being built before it is paused. */
const STREAM_BUFFER_ROWS = 500;

interface ExtractorConfig extends ExtractConfig {
  fetch_size?: number;
}

/** Resolves with the result's columns; rejects if the statement fails or returns no result set. */
function resultFields(query: NodeJS.EventEmitter): Promise<FieldPacket[]> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      query.off('fields', onFields);
      query.off('error', onError);
      query.off('end', onEnd);
    };
    const onFields = (fields: FieldPacket[]) => {
      cleanup();
      resolve(fields);
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const onEnd = () => {
      cleanup();
      reject(
        new OsirisError(ErrorCodes.QUERY_FAILED, 'mysql.extractor: the query returned no rows to read', {
          hint: '`query` must be a SELECT (or another statement that returns a result set)',
        }),
      );
    };
    query.on('fields', onFields);
    query.on('error', onError);
    query.on('end', onEnd);
  });
}

function columnsOf(fields: readonly FieldPacket[]): SourceColumn[] {
  const names = uniqueColumnNames(fields.map((field) => field.name));
  return fields.map((field, index) => {
    const column = sourceColumn(field);
    return { ...column, info: { ...column.info, name: names[index]! } };
  });
}

async function extract(session: MysqlSession, input: DriverRunInput, sql: string): Promise<DriverResult> {
  const { ctx, stepId } = input;
  const config = input.config as ExtractorConfig;
  // A read-only snapshot: the extractor can never change the source, and sees one consistent state.
  await session.query.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  const query = session.raw.query({ sql, rowsAsArray: true, typeCast });
  const stream = query.stream({
    highWaterMark: Math.min(STREAM_BUFFER_ROWS, config.fetch_size ?? DEFAULT_FETCH_SIZE),
  });
  // A failure before the first read would otherwise be an unhandled stream error.
  stream.on('error', () => undefined);
  // mysql2 never tells a streaming query that its connection died (server gone, KILL CONNECTION,
  // read timeout, cancel): it would wait for rows forever. Pass the reason on to the query and its stream.
  const stopWatchingLoss = session.onLost((error) => query.emit('error', error));
  const table = ctx.dataPlane.tableFor(stepId);
  let rows: number;
  try {
    const columns = columnsOf(await resultFields(query));
    ctx.log.debug('mysql result columns', {
      columns: columns.map((column) => `${column.info.name} ${column.info.type}`),
    });
    rows = await ctx.dataPlane.appendRows(
      table,
      columns.map((column) => column.info),
      rowBatches(stream, columns, config.fetch_size ?? DEFAULT_FETCH_SIZE, ctx.signal),
      (count) => ctx.progress(count),
    );
  } finally {
    stopWatchingLoss();
  }
  await session.query.query('COMMIT');
  return { table, rows };
}

async function runExtractor(input: DriverRunInput): Promise<DriverResult> {
  const { ctx } = input;
  const settings = resolveMysqlSettings(ctx.connection, input.config);
  const sql = buildExtractQuery(input.config as ExtractorConfig, ctx.incremental);
  const session = await connectMysql(settings, {
    signal: ctx.signal,
    ...(ctx.connection ? { retry: resolveRetryPolicy(ctx.connection) } : {}),
    onRetry: reportRetry(ctx),
  });
  const stopWatchingAbort = destroyOnAbort(session, ctx.signal);
  try {
    const result = await extract(session, input, sql);
    await session.close();
    return result;
  } catch (error) {
    // The result may be half-read: closing politely would wait for the rest of it.
    session.destroy();
    if (ctx.signal.aborted) throw cancelled();
    const readOnly = errorCodeOf(error) === 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION';
    throw statementError(
      readOnly ? ErrorCodes.READ_ONLY_VIOLATION : ErrorCodes.SOURCE_READ_FAILED,
      `reading ${input.config.table ? `table ${String(input.config.table)}` : 'the query result'} failed`,
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
