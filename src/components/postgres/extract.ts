import type { ResolvedConnection } from '../../spec/connection.js';
import type { DriverResult, StepContext } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { affordableRanges } from '../shared/database-config.js';
import { openPostgresSession, type PostgresSession } from './client.js';
import type { SslMode } from './connection-settings.js';
import { copyQueryIntoDataPlane } from './copy-into-data-plane.js';
import { csvBufferBytes } from './csv-into-data-plane.js';
import { asSubquery } from './describe-query.js';
import { type ExtractorSettings, tableQuery } from './extractor-config.js';
import { incrementalFilter } from './incremental-window.js';
import { primaryKeyColumns } from './primary-key.js';

/** Extract over the Postgres protocol into the step's data-plane table (postgres.extractor, supabase.extractor). */
export async function extractFromPostgres(
  connection: ResolvedConnection,
  settings: ExtractorSettings,
  ctx: StepContext,
  options: { defaultSslMode?: SslMode; component?: string } = {},
): Promise<DriverResult> {
  const { component = 'postgres.extractor', ...sessionOptions } = options;
  const session = await openPostgresSession(connection, {
    overrides: settings.overrides,
    signal: ctx.signal,
    onRetry: reportRetry(ctx),
    ...sessionOptions,
  });
  try {
    const table = ctx.dataPlane.tableFor(ctx.stepId);
    // A table comes in primary-key order, so every run gives the same rows in the same order
    // (a plain scan's order changes with updates, vacuum and synchronized scans).
    // A parallel read splits by the key instead; its ranges interleave, so it is not ordered.
    const orderBy =
      settings.table && (settings.table.order === 'primary_key' || settings.parallel)
        ? await primaryKeyColumns(session.client, settings.table.schema, settings.table.name).catch(
            (error: unknown) => {
              throw session.error(
                error,
                `reading the primary key of ${settings.source}`,
                ErrorCodes.SOURCE_READ_FAILED,
              );
            },
          )
        : [];
    const window = ctx.incremental
      ? await incrementalFilter(session.client, settings.query, ctx.incremental, component).catch(
          (error: unknown) => {
            throw isOsirisError(error)
              ? error
              : session.error(error, `reading the columns of ${settings.source}`, ErrorCodes.QUERY_FAILED);
          },
        )
      : undefined;
    const totalRows = window ? undefined : await rowEstimate(session, settings.table, ctx);
    const ways = settings.parallel
      ? await affordableRanges(
          ctx.dataPlane,
          settings.parallel.ways,
          csvBufferBytes(ctx.dataPlane),
          (message, fields) => ctx.log.warn(message, fields),
        )
      : 1;
    const parallel =
      settings.parallel && ways > 1
        ? {
            ways,
            column: partitionColumn(settings, orderBy, component),
            openSession: () =>
              openPostgresSession(connection, {
                overrides: settings.overrides,
                signal: ctx.signal,
                ...sessionOptions,
              }),
          }
        : undefined;
    if (parallel)
      ctx.log.debug('parallel read', { ranges: parallel.ways, partition_column: parallel.column });
    const result = await copyQueryIntoDataPlane({
      session,
      ...(parallel ? { parallel } : {}),
      query: windowedQuery(settings, parallel ? [] : orderBy, window?.where),
      ...(window ? { settings: window.settings } : {}),
      dataPlane: ctx.dataPlane,
      table,
      signal: ctx.signal,
      onProgress: (rows) => ctx.progress(rows, totalRows === undefined ? undefined : { totalRows }),
      onWarning: (message, fields) => ctx.log.warn(message, fields),
      ...(ctx.outputStream ? { stream: ctx.outputStream } : {}),
      onDebug: (message, fields) => ctx.log.debug(message, fields),
    });
    ctx.metric('bytes_read', result.bytes, { unit: 'bytes' });
    ctx.log.event('source_described', {
      source: settings.source,
      ...(settings.table ? { order_by: orderBy } : {}),
      columns: result.columns.map((column) => ({
        name: column.name,
        postgres: column.postgresType,
        duckdb: column.duckdbType,
      })),
    });
    return { table, rows: result.rows };
  } finally {
    await session.close();
  }
}

/** `partition_column`, else the table's primary key when it is a single column. */
function partitionColumn(
  settings: ExtractorSettings,
  primaryKey: readonly string[],
  component: string,
): string {
  if (settings.parallel?.column) return settings.parallel.column;
  if (settings.table && primaryKey.length === 1) return primaryKey[0]!;
  throw new OsirisError(ErrorCodes.USAGE, `${component}: \`parallel\` needs a column to split the read by`, {
    hint: settings.table
      ? `${settings.source} has no single-column primary key: set \`partition_column\` to an integer column.`
      : 'A `query` read needs `partition_column`: an integer column of its result.',
  });
}

/**
 * The SELECT to copy: a table read with the window's filter before its order and limit, or the
 * query wrapped as a subquery and filtered.
 */
function windowedQuery(
  settings: ExtractorSettings,
  orderBy: readonly string[],
  where: string | undefined,
): string {
  if (settings.table) {
    return orderBy.length > 0 || where ? tableQuery(settings.table, orderBy, where) : settings.query;
  }
  return where
    ? `SELECT * FROM ${asSubquery(settings.query)} AS osiris_incremental WHERE ${where}`
    : settings.query;
}

/**
 * The planner's row estimate of a whole-table read (pg_class.reltuples, kept by ANALYZE and
 * autovacuum), so a terminal can show percent done and time left. Only a guide: a limited, windowed
 * or query read has none, a never-analyzed table reports -1, and an unavailable estimate never
 * fails the step.
 */
async function rowEstimate(
  session: PostgresSession,
  table: { schema: string; name: string; limit?: number } | undefined,
  ctx: StepContext,
): Promise<number | undefined> {
  if (!table || table.limit !== undefined) return undefined;
  try {
    const result = await session.client.query<{ estimate: string | null }>(
      'SELECT c.reltuples::bigint::text AS estimate FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
      [table.schema, table.name],
    );
    const estimate = Number(result.rows[0]?.estimate);
    return Number.isFinite(estimate) && estimate > 0 ? estimate : undefined;
  } catch (error) {
    ctx.log.debug('no row estimate for progress', { error: String((error as Error)?.message ?? error) });
    return undefined;
  }
}
