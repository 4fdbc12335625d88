import pg from 'pg';
import type { ResolvedConnection } from '../../spec/connection.js';
import { type ErrorCode, ErrorCodes, OsirisError } from '../../spec/errors.js';
import {
  type ConnectionOverrides,
  type ConnectRetryPolicy,
  clientConfig,
  describeEndpoint,
  type PostgresEndpoint,
  resolveEndpoint,
  resolveRetryPolicy,
  type SslMode,
} from './connection-settings.js';
import { isTransientConnectError, toPostgresError } from './postgres-error.js';
import { retryWithBackoff } from './retry-with-backoff.js';

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
      throw new OsirisError(
        ErrorCodes.CANCELLED,
        `${connection.ref}: cancelled while connecting to ${where}`,
        { cause: error },
      );
    }
    throw toError(error, `connecting to ${where}`, ErrorCodes.CONNECTION_FAILED);
  }

  return {
    client,
    ref: connection.ref,
    endpoint,
    where,
    error: toError,
    close: () => client.end().catch(() => {}),
  };
}

function secretValues(connection: ResolvedConnection, endpoint: PostgresEndpoint): string[] {
  const values = connection.secretFields
    .map((field) => connection.fields[field])
    .filter((value): value is string => typeof value === 'string');
  if (endpoint.password) values.push(endpoint.password, encodeURIComponent(endpoint.password));
  return values;
}
