import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { ErrorCodes, isOsirisError } from '../../spec/errors.js';
import { describeUrl, requestJson } from './http-request.js';
import { restPageSource } from './rest-source.js';

const SILENT_LOG = { event() {}, debug() {}, warn() {} };

/**
 * `osiris connections doctor` for an HTTP API: one GET of `base_url` with the connection's auth
 * (an OAuth2 connection fetches its token first, so the client credentials are checked too). No
 * retries: the doctor reports what is, and a 429 or 5xx is a failure to look at. The API root is
 * often not an endpoint: any answer short of 401/403 or 5xx (a 404, an HTML page) proves the
 * server is there, and says so.
 */
export const restProbe: DoctorProbe = async (connection, signal) => {
  const started = performance.now();
  const source = restPageSource(
    connection,
    { path: '', retries: 0, timeout: 15 },
    { signal, log: SILENT_LOG },
  );
  const where = describeUrl(source.url);
  try {
    const request = await source.authenticator.apply({ url: source.url, headers: source.headers });
    const response = await requestJson(request, source.policy);
    return { serverVersion: `HTTP ${response.status} from ${where}`, latencyMs: elapsed(started) };
  } catch (error) {
    const status = isOsirisError(error) ? error.details?.status : undefined;
    const reachable =
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
};

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
