import type { ResolvedConnection } from '../../spec/connection.js';
import type { DriverResult, StepContext, StepInput } from '../../spec/driver.js';
import { readTimeoutMs } from '../../util/idle-watchdog.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { singleInput } from '../shared/database-config.js';
import { openPostgresSession } from './client.js';
import type { SslMode } from './connection-settings.js';
import { writeTable } from './write-table.js';
import type { WriterSettings } from './writer-config.js';

/** Write the single upstream step's rows over the Postgres protocol (postgres.writer, supabase.writer). */
export async function writeToPostgres(
  connection: ResolvedConnection,
  settings: WriterSettings,
  inputs: readonly StepInput[],
  ctx: StepContext,
  options: { defaultSslMode?: SslMode } = {},
): Promise<DriverResult> {
  const input = singleInput(inputs, `${connection.family}.writer`);
  const session = await openPostgresSession(connection, {
    overrides: settings.overrides,
    signal: ctx.signal,
    onRetry: reportRetry(ctx),
    ...options,
  });
  try {
    const result = await writeTable({
      session,
      dataPlane: ctx.dataPlane,
      inputTable: input.table,
      settings,
      signal: ctx.signal,
      ...readTimeout(connection),
      onProgress: (rows) => ctx.progress(rows),
      onEvent: (name, fields) => ctx.log.event(name, fields),
      ...(ctx.commitTogether ? { beforeCommit: () => ctx.commitTogether!.ready() } : {}),
    });
    ctx.metric('bytes_written', result.bytes, { unit: 'bytes' });
    if (result.inserted !== undefined) ctx.metric('rows_inserted', result.inserted, { unit: 'rows' });
    if (result.updated !== undefined) ctx.metric('rows_updated', result.updated, { unit: 'rows' });
    return { rows: result.rows };
  } finally {
    await session.close();
  }
}

/** The connection's `read_timeout` (the session was opened with it, so it is valid here). */
function readTimeout(connection: ResolvedConnection): { readTimeoutMs?: number } {
  const ms = readTimeoutMs(connection.fields.read_timeout, (text) => new Error(text));
  return ms === undefined ? {} : { readTimeoutMs: ms };
}
