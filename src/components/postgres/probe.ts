import type { DoctorProbe, DoctorProbeResult } from '../../connections/doctor-probe.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes } from '../../spec/errors.js';
import { openPostgresSession } from './client.js';
import type { SslMode } from './connection-settings.js';

/**
 * Connect (one attempt: doctor reports what is true now, it does not wait for a server to
 * come up), run `SHOW server_version`, close. Latency covers connect plus the round trip.
 */
export const postgresProbe: DoctorProbe = (connection, signal) => probePostgres(connection, signal);

export async function probePostgres(
  connection: ResolvedConnection,
  signal: AbortSignal,
  options: { defaultSslMode?: SslMode } = {},
): Promise<DoctorProbeResult> {
  const started = performance.now();
  const session = await openPostgresSession(connection, { signal, retry: { retries: 0 }, ...options });
  try {
    const result = await session.client.query<{ server_version: string }>('SHOW server_version');
    const latencyMs = Math.round(performance.now() - started);
    return { serverVersion: `PostgreSQL ${result.rows[0]?.server_version ?? 'unknown'}`, latencyMs };
  } catch (error) {
    throw session.error(error, `checking ${session.where}`, ErrorCodes.CONNECTION_FAILED);
  } finally {
    await session.close();
  }
}
