import type { Socket } from 'node:net';
import mysql, { type Connection, type ConnectionOptions } from 'mysql2';
import type { Connection as PromiseConnection } from 'mysql2/promise';
import { type ConnectRetryPolicy, DEFAULT_RETRY_POLICY } from '../../spec/connection.js';
import { CancelledError, ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { watchIdle } from '../../util/idle-watchdog.js';
import { retryWithBackoff } from '../../util/retry-with-backoff.js';
import type { MysqlConnectionSettings } from './connection-settings.js';
import { connectionError, errorCodeOf, isTransientMysqlError, scrubPassword } from './mysql-errors.js';

export interface ConnectOptions {
  signal?: AbortSignal;
  /** The connection's policy (`resolveRetryPolicy`); the defaults when omitted. */
  retry?: Partial<ConnectRetryPolicy>;
  /** Told before each wait between attempts (the drivers turn it into a `connection_retry` event). */
  onRetry?: (info: { attempt: number; delayMs: number; error: OsirisError }) => void;
}

/** A live session: the callback API (for streaming) and its promise wrapper (for everything else). */
export interface MysqlSession {
  raw: Connection;
  query: PromiseConnection;
  settings: MysqlConnectionSettings;
  /** Close politely; falls back to destroying the socket. Safe to call twice. */
  close(): Promise<void>;
  /**
   * Drop the socket now, without waiting for the server (which rolls back any open transaction).
   * Every statement still waiting fails with `reason` (by default: the connection was closed).
   */
  destroy(reason?: Error): void;
  /**
   * Calls `listener` once when the connection dies (server gone, session killed, read timeout,
   * destroyed) with the error that says why; at once if it already has. Statements with a callback
   * fail on their own, but a streaming query is never told: its reader must listen here.
   * Returns the function that stops listening.
   */
  onLost(listener: (error: Error) => void): () => void;
}

/**
 * Options that keep values exact: BIGINT and DECIMAL as strings, dates and times as the
 * server's text, JSON as text. Sessions run in UTC so TIMESTAMP values mean the same everywhere.
 */
function connectionOptions(settings: MysqlConnectionSettings, connectTimeoutMs: number): ConnectionOptions {
  return {
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    ...(settings.database ? { database: settings.database } : {}),
    charset: 'UTF8MB4_UNICODE_CI',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    connectTimeout: connectTimeoutMs,
  };
}

function openOnce(options: ConnectionOptions, signal: AbortSignal | undefined): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const connection = mysql.createConnection(options);
    const onAbort = () => {
      connection.destroy();
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    connection.connect((error) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return;
      if (error) {
        connection.destroy();
        reject(error);
      } else resolve(connection);
    });
  });
}

/** What a MySQL step throws when its run is cancelled. */
export function cancelled(): CancelledError {
  return new CancelledError('the step was cancelled before it finished');
}

/**
 * Connect, retrying transient network failures with bounded backoff. Authentication and other
 * permanent failures are not retried. Errors are OsirisErrors without the password.
 */
export async function connectMysql(
  settings: MysqlConnectionSettings,
  options: ConnectOptions = {},
): Promise<MysqlSession> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const connectOptions = connectionOptions(settings, policy.connectTimeoutMs);
  let attempts = 0;
  try {
    return await retryWithBackoff(
      async () => {
        attempts += 1;
        const raw = await openOnce(connectOptions, options.signal);
        const session = createSession(raw, settings);
        await prepareSession(session);
        return session;
      },
      {
        retries: policy.retries,
        initialDelayMs: policy.initialDelayMs,
        maxDelayMs: policy.maxDelayMs,
        ...(options.signal ? { signal: options.signal } : {}),
        isRetryable: isTransientMysqlError,
        onRetry: ({ attempt, delayMs, error }) =>
          options.onRetry?.({ attempt, delayMs, error: connectionError(error, settings, attempt) }),
      },
    );
  } catch (error) {
    if (isOsirisError(error) && error.code === ErrorCodes.CANCELLED) throw error;
    if (options.signal?.aborted) throw cancelled();
    throw connectionError(error, settings, attempts);
  }
}

/**
 * UTC, so TIMESTAMP values read and written mean the same instant on every machine; and
 * backslash escapes on, because the client library escapes string literals with backslashes.
 */
async function prepareSession(session: MysqlSession): Promise<void> {
  try {
    await session.query.query("SET time_zone = '+00:00'");
    await session.query.query(
      "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')",
    );
  } catch (error) {
    session.destroy();
    throw error;
  }
}

/** mysql2 internals the read watchdog looks at: the statement in flight, and our own backpressure. */
interface ConnectionState {
  _command?: unknown;
  _paused?: boolean;
  stream: Socket;
}

function createSession(raw: Connection, settings: MysqlConnectionSettings): MysqlSession {
  let closed = false;
  let lost: Error | undefined;
  const listeners = new Set<(error: Error) => void>();
  const state = raw as unknown as ConnectionState;
  // Destroying the socket with an error is the one way to fail everything mysql2 is waiting on:
  // `connection.destroy()` only half-closes it, which a frozen server never answers.
  const kill = (reason: Error) => {
    if (!state.stream.destroyed) state.stream.destroy(reason);
  };
  const stopWatchdog =
    settings.readTimeoutMs === undefined
      ? () => undefined
      : watchIdle({
          timeoutMs: settings.readTimeoutMs,
          waiting: () => Boolean(state._command) && !state._paused && !state.stream.destroyed,
          bytesMoved: () => state.stream.bytesRead + state.stream.bytesWritten,
          onTimeout: () => kill(readTimeoutError(settings)),
        });
  // An idle connection can still fail (server restart); without a listener that would crash the
  // process. A connection error is always fatal in mysql2: whoever streams is told here.
  raw.on('error', (error: Error) => {
    stopWatchdog();
    lost ??= connectionLostError(error, settings);
    for (const listener of [...listeners]) listener(lost);
    listeners.clear();
  });
  state.stream.once('close', stopWatchdog);
  return {
    raw,
    query: raw.promise(),
    settings,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        raw.end((error) => {
          if (error) kill(error);
          resolve();
        });
      });
      stopWatchdog();
    },
    destroy: (reason) => {
      closed = true;
      stopWatchdog();
      kill(
        reason ?? new OsirisError(ErrorCodes.CONNECTION_LOST, `${settings.ref}: the connection was closed`),
      );
    },
    onLost: (listener) => {
      if (lost) {
        listener(lost);
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function readTimeoutError(settings: MysqlConnectionSettings): OsirisError {
  const seconds = (settings.readTimeoutMs ?? 0) / 1000;
  return new OsirisError(
    ErrorCodes.TIMEOUT,
    `${settings.ref}: MySQL at ${settings.host}:${settings.port} sent nothing for ${seconds} s while a statement waited for it; the connection was dropped`,
    {
      hint:
        'is the server frozen or overloaded? If its queries really take that long before their first row, ' +
        'raise `read_timeout` (seconds; 0 = never) of the connection in osiris_connections.yaml',
      details: { ref: settings.ref, read_timeout_s: seconds },
      retryable: true,
    },
  );
}

/** The connection died: our own errors (timeout, cancel) pass through; the driver's become E_CONNECTION_LOST. */
function connectionLostError(error: Error, settings: MysqlConnectionSettings): Error {
  if (isOsirisError(error)) return error;
  const code = errorCodeOf(error);
  return new OsirisError(
    ErrorCodes.CONNECTION_LOST,
    `${settings.ref}: lost the connection to MySQL at ${settings.host}:${settings.port}: ${scrubPassword(error.message, settings)}`,
    {
      hint: 'the server went away or the session was killed; nothing of this step was kept, rerun when the server is back',
      details: { ref: settings.ref, ...(code ? { driver_code: code } : {}) },
      retryable: true,
      cause: error,
    },
  );
}

/** Destroy the session's socket when `signal` aborts: the running statement fails at once with E_CANCELLED. */
export function destroyOnAbort(session: MysqlSession, signal: AbortSignal): () => void {
  const onAbort = () => session.destroy(cancelled());
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
