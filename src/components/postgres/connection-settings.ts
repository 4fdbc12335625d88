import type { ConnectionOptions } from 'node:tls';
import type { ClientConfig } from 'pg';
import type { ConnectRetryPolicy, ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { readTimeoutMs } from '../../util/idle-watchdog.js';

/** Connection fields a step's config may override (the spec's `x-connection-fields` policy decides which). */
export interface ConnectionOverrides {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
}

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Where and as whom to connect, password kept apart so descriptions can never include it. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  database: string;
  sslMode: SslMode;
  password?: string;
  /** libpq's `options`: server settings for the session, e.g. `-c search_path=app`. */
  options?: string;
}

/**
 * Endpoint from the connection's `dsn` (postgres:// URL) or its host/port/user/password/database
 * fields, then the step's overrides on top. Explicit fields win over the DSN's parts, so
 * `database: other` on a connection with a DSN does what it says.
 */
export function resolveEndpoint(
  connection: ResolvedConnection,
  overrides: ConnectionOverrides = {},
  defaults: { sslMode?: SslMode } = {},
): PostgresEndpoint {
  const fields = connection.fields;
  const fromDsn =
    typeof fields.dsn === 'string' && fields.dsn.length > 0 ? parseDsn(fields.dsn, connection.ref) : {};
  const password = stringField(fields.password) ?? fromDsn.password;
  const serverOptions = stringField(fields.options) ?? fromDsn.options;
  const sslMode =
    parseSslMode(fields.sslmode, connection.ref) ?? fromDsn.sslMode ?? defaults.sslMode ?? 'prefer';
  return {
    host: overrides.host ?? stringField(fields.host) ?? fromDsn.host ?? 'localhost',
    port: overrides.port ?? numberField(fields.port, 'port', connection.ref) ?? fromDsn.port ?? 5432,
    user: overrides.user ?? stringField(fields.user) ?? fromDsn.user ?? 'postgres',
    database: overrides.database ?? stringField(fields.database) ?? fromDsn.database ?? 'postgres',
    sslMode,
    ...(password === undefined ? {} : { password }),
    ...(serverOptions === undefined ? {} : { options: serverOptions }),
  };
}

/**
 * `read_timeout` (seconds, default 300, 0 = never) of the connection: how long the server may stay
 * silent while a statement waits for it. Milliseconds, or undefined when off.
 */
export function resolveReadTimeout(connection: ResolvedConnection): number | undefined {
  return readTimeoutMs(
    connection.fields.read_timeout,
    (text) =>
      new OsirisError(
        ErrorCodes.CONNECTIONS_INVALID,
        `${connection.ref}: read_timeout must be seconds (0 = never), not "${text}"`,
        { hint: 'e.g. `read_timeout: 300`; raise it for queries that take longer before their first row' },
      ),
  );
}

export function clientConfig(endpoint: PostgresEndpoint, policy: ConnectRetryPolicy): ClientConfig {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    database: endpoint.database,
    ...(endpoint.password === undefined ? {} : { password: endpoint.password }),
    ...(endpoint.options === undefined ? {} : { options: endpoint.options }),
    ssl: sslOptions(endpoint.sslMode),
    connectionTimeoutMillis: policy.connectTimeoutMs,
    application_name: 'osiris',
    keepAlive: true,
  };
}

/** `user@host:port/database`: what a message may say about where it connected. */
export function describeEndpoint(endpoint: PostgresEndpoint): string {
  return `${endpoint.user}@${endpoint.host}:${endpoint.port}/${endpoint.database}`;
}

/**
 * `pg` has no opportunistic TLS, so `allow`/`prefer` connect in clear (like libpq would against
 * a server without TLS); `require` encrypts without checking the certificate, `verify-*` checks it.
 */
function sslOptions(mode: SslMode): boolean | ConnectionOptions {
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

function parseDsn(dsn: string, ref: string): Partial<PostgresEndpoint> {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    // The DSN holds the password: the message must not quote it.
    throw invalidDsn(ref, 'it is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw invalidDsn(ref, `its scheme is "${url.protocol.replace(/:$/, '')}", not postgres or postgresql`);
  }
  const parts: Partial<PostgresEndpoint> = {};
  const socketHost = url.searchParams.get('host');
  if (url.hostname) parts.host = decodeURIComponent(url.hostname.replace(/^\[|\]$/g, ''));
  if (socketHost) parts.host = socketHost;
  if (url.port) parts.port = Number(url.port);
  if (url.username) parts.user = decodeURIComponent(url.username);
  if (url.password) parts.password = decodeURIComponent(url.password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database) parts.database = database;
  const sslMode = parseSslMode(url.searchParams.get('sslmode') ?? undefined, ref);
  if (sslMode) parts.sslMode = sslMode;
  const serverOptions = url.searchParams.get('options');
  if (serverOptions) parts.options = serverOptions;
  return parts;
}

function invalidDsn(ref: string, reason: string): OsirisError {
  return new OsirisError(
    ErrorCodes.CONNECTIONS_INVALID,
    `${ref}: the dsn field is not a valid PostgreSQL URL (${reason})`,
    {
      hint: 'Write it as postgresql://user:password@host:5432/database?sslmode=require (percent-encode special characters in the password).',
    },
  );
}

function parseSslMode(value: unknown, ref: string): SslMode | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && (SSL_MODES as readonly string[]).includes(value)) return value as SslMode;
  throw new OsirisError(
    ErrorCodes.CONNECTIONS_INVALID,
    `${ref}: sslmode "${String(value)}" is not a PostgreSQL sslmode`,
    {
      hint: `Use one of ${SSL_MODES.join(', ')}.`,
    },
  );
}

function stringField(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Numbers may arrive as strings when they come from `${ENV}` templates. */
function numberField(value: unknown, name: string, ref: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (Number.isInteger(number) && number >= 0) return number;
  throw new OsirisError(
    ErrorCodes.CONNECTIONS_INVALID,
    `${ref}: ${name} must be a whole number, not "${String(value)}"`,
  );
}
