import type { Socket } from 'node:net';
import pg from 'pg';
import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { ConnectRetryPolicy, ResolvedConnection } from '../../spec/connection.js';
import { CancelledError, type ErrorCode, ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { watchIdle } from '../../util/idle-watchdog.js';
import { Redactor } from '../../util/redactor.js';
import { retryWithBackoff } from '../../util/retry-with-backoff.js';
import {
  type ConnectionOverrides,
  clientConfig,
  describeEndpoint,
  type PostgresEndpoint,
  resolveEndpoint,
  resolveReadTimeout,
  type SslMode,
} from './connection-settings.js';
import { isTransientConnectError, toPostgresError } from './postgres-error.js';

export interface OpenClientOptions {
  overrides?: ConnectionOverrides;
  signal?: AbortSignal;
  retry?: Partial<ConnectRetryPolicy>;
  /** Told before each wait between attempts (the drivers turn it into a `connection_retry` event). */
  onRetry?: (info: { attempt: number; delayMs: number; error: OsirisError }) => void;
  /** sslmode when neither the fields nor the DSN set one (Supabase defaults to `require`). */
  defaultSslMode?: SslMode;
}

/** A connected client plus what every caller needs to report failures without leaking secrets. */
export interface PostgresSession {
  readonly client: pg.Client;
  readonly ref: string;
  readonly endpoint: PostgresEndpoint;
  /** `user@host:port/database`. */
  readonly where: string;
  /** An OsirisError for a failure while doing `action`, secrets scrubbed. */
  error(error: unknown, action: string, fallbackCode: ErrorCode): OsirisError;
  /** Close the connection; with an active query (e.g. a COPY being aborted) the socket is dropped. */
  close(): Promise<void>;
}

/**
 * Connect to PostgreSQL, retrying transient failures (refused, reset, timeouts, "starting up",
 * too many connections) with bounded exponential backoff. Authentication failures are never
 * retried: they fail at once with E_AUTH_FAILED.
 */
export async function openPostgresSession(
  connection: ResolvedConnection,
  options: OpenClientOptions = {},
): Promise<PostgresSession> {
  const endpoint = resolveEndpoint(
    connection,
    options.overrides,
    options.defaultSslMode ? { sslMode: options.defaultSslMode } : {},
  );
  const policy = resolveRetryPolicy(connection, options.retry);
  const readTimeout = resolveReadTimeout(connection);
  const secrets = secretValues(connection, endpoint);
  const where = describeEndpoint(endpoint);
  const toError = (error: unknown, action: string, fallbackCode: ErrorCode) =>
    toPostgresError(error, { ref: connection.ref, action, secrets, fallbackCode });

  const connectOnce = async () => {
    const client = new pg.Client(clientConfig(endpoint, policy));
    // An idle client that loses its server emits 'error'; unhandled, that would crash the process.
    // Calls in flight reject on their own, so here there is nothing more to do.
    client.on('error', () => {});
    const abandon = () => void client.end().catch(() => {});
    options.signal?.addEventListener('abort', abandon, { once: true });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw toError(error, `connecting to ${where}`, ErrorCodes.CONNECTION_FAILED);
    } finally {
      options.signal?.removeEventListener('abort', abandon);
    }
  };

  let client: pg.Client;
  try {
    client = await retryWithBackoff(connectOnce, {
      retries: policy.retries,
      initialDelayMs: policy.initialDelayMs,
      maxDelayMs: policy.maxDelayMs,
      ...(options.signal ? { signal: options.signal } : {}),
      isRetryable: isTransientConnectError,
      onRetry: ({ attempt, delayMs, error }) =>
        options.onRetry?.({
          attempt,
          delayMs,
          error: toError(error, `connecting to ${where}`, ErrorCodes.CONNECTION_FAILED),
        }),
    });
  } catch (error) {
    if (options.signal?.aborted) {
      throw new CancelledError(`${connection.ref}: cancelled while connecting to ${where}`, { cause: error });
    }
    throw toError(error, `connecting to ${where}`, ErrorCodes.CONNECTION_FAILED);
  }

  // Once connected, a dropped connection is no longer "cannot connect" but "lost mid-statement".
  let lost = false;
  client.on('end', () => {
    lost = true;
  });
  const afterConnect = (error: unknown, action: string, fallbackCode: ErrorCode): OsirisError => {
    const shaped = toError(error, action, fallbackCode);
    // A statement's own error (severity ERROR, e.g. division by zero mid-COPY) stays what it is
    // even when the connection is closed right after it to stop the COPY; FATAL means the session died.
    if (isOsirisError(error) || isStatementError(error)) return shaped;
    if (!(lost || shaped.code === ErrorCodes.CONNECTION_FAILED)) return shaped;
    return new OsirisError(
      ErrorCodes.CONNECTION_LOST,
      `${connection.ref}: lost the connection to ${where} while ${action}: ${new Redactor(secrets).text(error instanceof Error ? error.message : String(error))}`,
      {
        hint: 'The server went away or ended the session; nothing of this step was kept. Rerun when the server is back.',
        details: shaped.details,
        cause: error,
        retryable: true,
      },
    );
  };
  const socket = () => (client as unknown as PgInternals).connection.stream;
  const stopWatchdog = watchForSilence(client, socket, readTimeout, connection.ref, where);
  socket().once('close', stopWatchdog);
  // Cancelling drops the socket at once: a statement in flight (even a ROLLBACK to a frozen
  // server) fails now, and the server rolls back whatever was open when it notices.
  const onAbort = () =>
    socket().destroy(new CancelledError(`${connection.ref}: cancelled; the connection was dropped`));
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  socket().once('close', () => options.signal?.removeEventListener('abort', onAbort));
  return {
    client,
    ref: connection.ref,
    endpoint,
    where,
    error: afterConnect,
    close: async () => {
      // `end()` waits for the server to close its side; a frozen server never does.
      const timer = setTimeout(() => socket().destroy(), CLOSE_GRACE_MS);
      try {
        await client.end().catch(() => {});
      } finally {
        clearTimeout(timer);
        stopWatchdog();
      }
    },
  };
}

/** How long a polite close may wait for the server before the socket is dropped. */
const CLOSE_GRACE_MS = 2000;

/** `pg` internals the read watchdog looks at: the statement in flight, and the socket. */
interface PgInternals {
  connection: { stream: Socket };
  _getActiveQuery?(): unknown;
  _activeQuery?: unknown;
  _queryQueue?: unknown[];
}

/**
 * Drops the connection when the server stays silent for `timeoutMs` while a statement waits for
 * it (a frozen server keeps its sockets open): every call in flight then fails with E_TIMEOUT.
 * Time our own side is the bottleneck (DuckDB still parsing what arrived) does not count.
 */
function watchForSilence(
  client: pg.Client,
  socket: () => Socket,
  timeoutMs: number | undefined,
  ref: string,
  where: string,
): () => void {
  if (timeoutMs === undefined) return () => undefined;
  const internals = client as unknown as PgInternals;
  const busy = () =>
    (internals._getActiveQuery ? internals._getActiveQuery() : internals._activeQuery) != null ||
    (internals._queryQueue?.length ?? 0) > 0;
  return watchIdle({
    timeoutMs,
    // Bytes sitting unread in the socket mean we are the slow side (a COPY whose reader, DuckDB, is
    // busy leaves them there), not the server.
    waiting: () => busy() && socket().readableLength === 0 && !socket().destroyed,
    bytesMoved: () => socket().bytesRead + socket().bytesWritten,
    onTimeout: () =>
      socket().destroy(
        new OsirisError(
          ErrorCodes.TIMEOUT,
          `${ref}: PostgreSQL at ${where} sent nothing for ${timeoutMs / 1000} s while a statement waited for it; the connection was dropped`,
          {
            hint:
              'is the server frozen or overloaded? If its queries really take that long before their first row, ' +
              'raise `read_timeout` (seconds; 0 = never) of the connection in osiris_connections.yaml',
            details: { connection: ref, read_timeout_s: timeoutMs / 1000 },
            retryable: true,
          },
        ),
      ),
  });
}

function secretValues(connection: ResolvedConnection, endpoint: PostgresEndpoint): string[] {
  const values = connection.secretFields
    .map((field) => connection.fields[field])
    .filter((value): value is string => typeof value === 'string');
  if (endpoint.password) values.push(endpoint.password, encodeURIComponent(endpoint.password));
  return values;
}

/** An error the server reported for the statement (the session lives on), not for the session. */
function isStatementError(error: unknown): boolean {
  return (error as { severity?: unknown } | null)?.severity === 'ERROR';
}
