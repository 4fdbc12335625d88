import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { ErrorCodes } from '../../spec/errors.js';
import { connectMysql } from './client.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { statementError } from './mysql-errors.js';

/**
 * Connect (one attempt: doctor reports what is true now, it does not wait for a server to
 * come up), run `SELECT VERSION()`, close. Latency covers connect plus the round trip.
 */
export const mysqlProbe: DoctorProbe = async (connection, signal) => {
  const settings = resolveMysqlSettings(connection, {});
  const started = performance.now();
  const session = await connectMysql(settings, { signal, retry: { retries: 0, connectTimeoutMs: 10_000 } });
  try {
    const [rows] = (await session.query.query('SELECT VERSION() AS version')) as unknown as [
      Record<string, unknown>[],
    ];
    const latencyMs = Math.round(performance.now() - started);
    const version = String(rows[0]?.version ?? 'unknown');
    const product = /mariadb/i.test(version) ? 'MariaDB' : 'MySQL';
    return { serverVersion: `${product} ${version}`, latencyMs };
  } catch (error) {
    throw statementError(ErrorCodes.CONNECTION_FAILED, 'SELECT VERSION() failed', error, settings);
  } finally {
    await session.close();
  }
};
