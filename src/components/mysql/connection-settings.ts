import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { readTimeoutMs } from '../../util/idle-watchdog.js';
import { mysqlDsnFields } from './mysql-dsn.js';

/** Everything needed to open a MySQL session. Holds the password: never log or serialise it. */
export interface MysqlConnectionSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  /**
   * How long the server may stay silent while a statement waits for it (`read_timeout` seconds,
   * default 300); undefined means never give up.
   */
  readTimeoutMs?: number;
  /** `@mysql.alias`, for messages. */
  ref: string;
}

const DEFAULT_PORT = 3306;
const OVERRIDABLE_FIELDS = ['host', 'port', 'user', 'database'] as const;

/** Fields with a value: an empty `host:` must not hide the DSN's host. */
function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
}

function textField(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

/**
 * Connection fields, with the step's `host`/`port`/`user`/`database` taking precedence (the
 * compiler already enforced which overrides are allowed). The password only ever comes from
 * the connection.
 */
export function resolveMysqlSettings(
  connection: ResolvedConnection | undefined,
  config: Record<string, unknown>,
): MysqlConnectionSettings {
  const ref = connection?.ref ?? '@mysql';
  const given = connection?.fields ?? {};
  // A `dsn:` (mysql://user:password@host:port/database) fills the fields the connection leaves out.
  const fields: Record<string, unknown> = { ...mysqlDsnFields(given, ref), ...definedFields(given) };
  for (const name of OVERRIDABLE_FIELDS) if (config[name] !== undefined) fields[name] = config[name];
  const host = textField(fields.host);
  const user = textField(fields.user);
  if (!host || !user) {
    throw new OsirisError(ErrorCodes.CONNECTION_FAILED, `${ref}: the connection needs a host and a user`, {
      hint: 'add `host:` and `user:` (or `dsn: mysql://user:password@host:3306/database`) to the connection in osiris_connections.yaml',
      details: { ref, missing: [host ? undefined : 'host', user ? undefined : 'user'].filter(Boolean) },
    });
  }
  const port = fields.port === undefined || fields.port === null ? DEFAULT_PORT : Number(fields.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new OsirisError(ErrorCodes.CONNECTION_FAILED, `${ref}: port must be an integer from 1 to 65535`, {
      hint: 'MySQL listens on 3306 unless configured otherwise',
      details: { ref },
    });
  }
  const database = textField(fields.database);
  const readTimeout = readTimeoutMs(
    fields.read_timeout,
    (text) =>
      new OsirisError(
        ErrorCodes.CONNECTIONS_INVALID,
        `${ref}: read_timeout must be seconds (0 = never), not "${text}"`,
        {
          hint: 'e.g. `read_timeout: 300`; raise it for queries that take longer before their first row',
          details: { ref },
        },
      ),
  );
  return {
    host,
    port,
    user,
    password: textField(fields.password) ?? '',
    ...(database ? { database } : {}),
    ...(readTimeout === undefined ? {} : { readTimeoutMs: readTimeout }),
    ref,
  };
}
