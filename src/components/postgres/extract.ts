import type { ResolvedConnection } from '../../spec/connection.js';
import type { DriverResult, StepContext } from '../../spec/driver.js';
import { openPostgresSession } from './client.js';
import type { SslMode } from './connection-settings.js';
import { copyQueryIntoDataPlane } from './copy-into-data-plane.js';
import type { ExtractorSettings } from './extractor-config.js';
import { reportRetry } from './step-connection.js';

/** Extract over the Postgres protocol into the step's data-plane table (postgres.extractor, supabase.extractor). */
export async function extractFromPostgres(
  connection: ResolvedConnection,
  settings: ExtractorSettings,
  ctx: StepContext,
  options: { defaultSslMode?: SslMode } = {},
): Promise<DriverResult> {
  const session = await openPostgresSession(connection, {
    overrides: settings.overrides,
    signal: ctx.signal,
    onRetry: reportRetry(ctx),
    ...options,
  });
  try {
    const table = ctx.dataPlane.tableFor(ctx.stepId);
    const result = await copyQueryIntoDataPlane({
      session,
      query: settings.query,
      dataPlane: ctx.dataPlane,
      table,
      signal: ctx.signal,
      onProgress: (rows) => ctx.progress(rows),
      onWarning: (message, fields) => ctx.log.warn(message, fields),
    });
    ctx.metric('bytes_read', result.bytes, { unit: 'bytes' });
    ctx.log.event('source_described', {
      source: settings.source,
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
