import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { probePostgres } from '../postgres/probe.js';
import { hasPostgresProtocol, restEndpoint, supabaseSslMode } from './connection-modes.js';
import { readOpenApi } from './rest-table.js';

/**
 * Check every way the connection can be used: the Postgres protocol (dsn/host) like the postgres
 * probe, and the REST API (url + key) by reading PostgREST's description, which needs a valid key.
 * One attempt each; latency is the total of both checks.
 */
export const supabaseProbe: DoctorProbe = async (connection, signal) => {
  const rest = restEndpoint(connection);
  const usesPostgres = hasPostgresProtocol(connection);
  if (!usesPostgres && !rest) {
    throw new OsirisError(
      ErrorCodes.CONNECTIONS_INVALID,
      `${connection.ref} has neither a dsn/host nor url + key`,
      {
        hint: 'Give the connection `url` and `key` (or `service_role_key`) for the REST API, and/or `dsn` for the Postgres protocol.',
      },
    );
  }
  const versions: string[] = [];
  let latencyMs = 0;
  if (usesPostgres) {
    const result = await probePostgres(connection, signal, { defaultSslMode: supabaseSslMode(connection) });
    versions.push(result.serverVersion);
    latencyMs += result.latencyMs;
  }
  if (rest) {
    const started = performance.now();
    const document = await readOpenApi(rest, 'public', {
      connection,
      action: 'checking the REST API',
      fallbackCode: ErrorCodes.CONNECTION_FAILED,
      signal,
      idempotent: true,
      retries: 0,
    });
    latencyMs += Math.round(performance.now() - started);
    versions.push(`PostgREST ${document.info?.version ?? 'unknown'}`);
  }
  return { serverVersion: versions.join('; '), latencyMs };
};
