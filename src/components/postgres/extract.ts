import type { ResolvedConnection } from '../../spec/connection.js';
import type { DriverResult, StepContext } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { openPostgresSession } from './client.js';
import type { SslMode } from './connection-settings.js';
import { copyQueryIntoDataPlane } from './copy-into-data-plane.js';
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
    const orderBy =
      settings.table?.order === 'primary_key'
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
    const result = await copyQueryIntoDataPlane({
      session,
      query: windowedQuery(settings, orderBy, window?.where),
      ...(window ? { settings: window.settings } : {}),
      dataPlane: ctx.dataPlane,
      table,
      signal: ctx.signal,
      onProgress: (rows) => ctx.progress(rows),
      onWarning: (message, fields) => ctx.log.warn(message, fields),
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
