import type { DoctorProbe } from '../../connections/doctor-probe.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, isOsirisError } from '../../spec/errors.js';
import { describeUrl, type HttpResponse, requestJson } from './http-request.js';
import { restPageSource } from './rest-source.js';

const SILENT_LOG = { event() {}, debug() {}, warn() {} };

/**
 * `osiris connections doctor` for an HTTP API: one GET of `base_url` with the connection's auth
 * (an OAuth2 connection fetches its token first, so the client credentials are checked too). The
 * API root is often not an endpoint: any answer short of 401/403 or 5xx (a 404, an HTML page)
 * proves the server is there, and says so.
 */
export const restProbe: DoctorProbe = (connection, signal) =>
  probeHttp(connection, signal, { path: '', rootMayBeMissing: true });

/**
 * One request with the connection's auth and no retries: the doctor reports what is, and a 429
 * or 5xx is a failure to look at. `describe` turns the answer into the line the doctor shows.
 */
export async function probeHttp(
  connection: ResolvedConnection,
  signal: AbortSignal,
  options: {
    path: string;
    method?: 'GET' | 'POST';
    body?: unknown;
    /** The base URL itself need not be an endpoint: a 4xx other than 401/403 still counts. */
    rootMayBeMissing?: boolean;
    describe?(response: HttpResponse, where: string): string;
  },
): Promise<{ serverVersion: string; latencyMs: number }> {
  const started = performance.now();
  const source = restPageSource(
    connection,
    { path: options.path, retries: 0, timeout: 15 },
    { signal, log: SILENT_LOG },
  );
  const where = describeUrl(source.url);
  try {
    const request = await source.authenticator.apply({
      url: source.url,
      headers: {
        ...source.headers,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.method ? { method: options.method } : {}),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const response = await requestJson(request, source.policy);
    const serverVersion = options.describe?.(response, where) ?? `HTTP ${response.status} from ${where}`;
    return { serverVersion, latencyMs: elapsed(started) };
  } catch (error) {
    const status = isOsirisError(error) ? error.details?.status : undefined;
    const reachable =
      options.rootMayBeMissing === true &&
      isOsirisError(error) &&
      ((error.code === ErrorCodes.HTTP_STATUS && typeof status === 'number' && status < 500) ||
        error.code === ErrorCodes.RESPONSE_INVALID);
    if (!reachable) throw error;
    const answer = typeof status === 'number' ? `HTTP ${status}` : 'a non-JSON page';
    return {
      serverVersion: `${answer} from ${where} (the server answers; the base URL itself is not an endpoint)`,
      latencyMs: elapsed(started),
    };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
