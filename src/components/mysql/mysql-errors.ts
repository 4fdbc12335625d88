import { type ErrorCode, ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { Redactor } from '../../util/redactor.js';
import type { MysqlConnectionSettings } from './connection-settings.js';

/** Network hiccups worth another connection attempt; everything else fails at once. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_DEADLOCK',
]);

const AUTH_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);

export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isTransientMysqlError(error: unknown): boolean {
  const code = errorCodeOf(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Drivers may echo what they were given; make sure the password (or any URL password) never rides along. */
export function scrubPassword(text: string, settings: Pick<MysqlConnectionSettings, 'password'>): string {
  return new Redactor([settings.password]).text(text);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turn a connection failure into the user-facing error, with a hint and no secret. */
export function connectionError(
  error: unknown,
  settings: MysqlConnectionSettings,
  attempts: number,
): OsirisError {
  if (isOsirisError(error)) return error;
  const code = errorCodeOf(error);
  const where = `${settings.user}@${settings.host}:${settings.port}`;
  const message = scrubPassword(messageOf(error), settings);
  if (code && AUTH_CODES.has(code)) {
    return new OsirisError(
      ErrorCodes.AUTH_FAILED,
      `${settings.ref}: MySQL refused the login of ${where}: ${message}`,
      {
        hint:
          'check the user and password of the connection in osiris_connections.yaml (or the environment ' +
          'variable it reads), and that the user may connect from this host',
        details: { ref: settings.ref, driver_code: code },
      },
    );
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new OsirisError(ErrorCodes.CONNECTION_FAILED, `${settings.ref}: ${message}`, {
      hint: 'check the `database` of the connection; `osiris connections doctor` lists what is reachable',
      details: { ref: settings.ref, driver_code: code },
    });
  }
  const transient = isTransientMysqlError(error);
  return new OsirisError(
    ErrorCodes.CONNECTION_FAILED,
    `${settings.ref}: cannot connect to MySQL at ${settings.host}:${settings.port}` +
      `${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${message || code || 'unknown error'}`,
    {
      hint: transient
        ? 'is the server running and reachable from here? Run `osiris connections doctor` to check'
        : 'check the host and port of the connection',
      details: { ref: settings.ref, ...(code ? { driver_code: code } : {}) },
      retryable: transient,
    },
  );
}

/** A failure while a statement runs (after connecting). */
export function statementError(
  code: ErrorCode,
  what: string,
  error: unknown,
  settings: MysqlConnectionSettings,
  hint?: string,
): OsirisError {
  if (isOsirisError(error)) return error;
  const driverCode = errorCodeOf(error);
  return new OsirisError(code, `${settings.ref}: ${what}: ${scrubPassword(messageOf(error), settings)}`, {
    ...(hint ? { hint } : {}),
    details: { ref: settings.ref, ...(driverCode ? { driver_code: driverCode } : {}) },
    retryable: isTransientMysqlError(error),
    cause: error,
  });
}
