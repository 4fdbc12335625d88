import mysql, { type Connection, type ConnectionOptions } from 'mysql2';
import type { Connection as PromiseConnection } from 'mysql2/promise';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { MysqlConnectionSettings } from './connection-settings.js';
import { connectionError, isTransientMysqlError } from './mysql-errors.js';

export interface RetryPolicy {
  /** Connection attempts in all (1 = no retry). */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, initialDelayMs: 250, maxDelayMs: 4000 };

export interface ConnectOptions {
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  /** Told about each retry, e.g. to log it. */
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  connectTimeoutMs?: number;
}

/** A live session: the callback API (for streaming) and its promise wrapper (for everything else). */
export interface MysqlSession {
  raw: Connection;
  query: PromiseConnection;
  settings: MysqlConnectionSettings;
  /** Close politely; falls back to destroying the socket. Safe to call twice. */
  close(): Promise<void>;
  /** Drop the socket now (the server rolls back any open transaction). */
  destroy(): void;
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

export function cancelled(): OsirisError {
  return new OsirisError(ErrorCodes.CANCELLED, 'the step was cancelled before it finished');
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, capped. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
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
  const connectOptions = connectionOptions(settings, options.connectTimeoutMs ?? 10_000);
  for (let attempt = 1; ; attempt += 1) {
    if (options.signal?.aborted) throw cancelled();
    try {
      const raw = await openOnce(connectOptions, options.signal);
      const session = createSession(raw, settings);
      await prepareSession(session);
      return session;
    } catch (error) {
      if (error instanceof OsirisError && error.code === ErrorCodes.CANCELLED) throw error;
      if (attempt >= policy.attempts || !isTransientMysqlError(error)) {
        throw connectionError(error, settings, attempt);
      }
      const delay = backoffDelay(attempt, policy);
      options.onRetry?.(attempt, delay, error);
      await sleep(delay, options.signal);
    }
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
    session.raw.destroy();
    throw error;
  }
}

function createSession(raw: Connection, settings: MysqlConnectionSettings): MysqlSession {
  let closed = false;
  // An idle connection can still fail (server restart); without a listener that would crash the process.
  raw.on('error', () => undefined);
  return {
    raw,
    query: raw.promise(),
    settings,
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        raw.end((error) => {
          if (error) raw.destroy();
          resolve();
        });
      });
    },
    destroy: () => {
      closed = true;
      raw.destroy();
    },
  };
}

/** Destroy the session's socket when `signal` aborts (that also cancels its running statement). */
export function destroyOnAbort(session: MysqlSession, signal: AbortSignal): () => void {
  const onAbort = () => session.raw.destroy();
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}
