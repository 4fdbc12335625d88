import { CancelledError, type ErrorCode, ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { Redactor } from '../../util/redactor.js';

/** Node socket errors and SQLSTATEs that mean "try again shortly", not "fix something". */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
const TRANSIENT_SQLSTATES = new Set([
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01', // admin_shutdown
]);
/** `pg` reports some connection failures with a message and no code. */
const TRANSIENT_MESSAGES = [
  /Connection terminated unexpectedly/i,
  /Connection terminated due to connection timeout/i,
  /timeout expired/i,
];

export interface PostgresErrorContext {
  /** `@postgres.alias`, for messages. */
  ref: string;
  /** What we were doing: "connecting to x", "reading from x", ... */
  action: string;
  /** Values to scrub from messages (password, DSN, keys). */
  secrets: readonly string[];
  /** Code to use for errors that are not about connecting, auth or cancellation. */
  fallbackCode: ErrorCode;
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isTransientConnectError(error: unknown): boolean {
  if (isOsirisError(error)) return error.retryable;
  const code = sqlState(error);
  if (code && (TRANSIENT_SOCKET_CODES.has(code) || TRANSIENT_SQLSTATES.has(code))) return true;
  const message = error instanceof Error ? error.message : '';
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * One OsirisError for any failure talking to PostgreSQL: authentication and connection problems
 * get their own codes and hints; everything else gets `fallbackCode` with the server's message,
 * its SQLSTATE and, when the server gave them, its detail and hint.
 */
export function toPostgresError(error: unknown, context: PostgresErrorContext): OsirisError {
  if (isOsirisError(error)) return error;
  const code = sqlState(error);
  const raw = error instanceof Error ? error.message : String(error);
  // Passwords and DSNs out of any text that might reach a user, a log or an event.
  const redactor = new Redactor(context.secrets);
  const message = redactor.text(raw);
  const serverHint = (error as { hint?: unknown }).hint;
  const serverDetail = (error as { detail?: unknown }).detail;
  const details: Record<string, unknown> = { connection: context.ref, ...(code ? { sqlstate: code } : {}) };
  if (typeof serverDetail === 'string') details.server_detail = redactor.text(serverDetail);
  const doctor = `Run \`osiris connections doctor ${context.ref}\` to check the connection.`;

  if (code === '28P01' || code === '28000') {
    return new OsirisError(
      ErrorCodes.AUTH_FAILED,
      `${context.ref}: PostgreSQL rejected the credentials while ${context.action}: ${message}`,
      {
        hint:
          code === '28P01'
            ? `Check the user and password of ${context.ref} in osiris_connections.yaml (or the environment variable it references). ${doctor}`
            : `The server does not allow this user from here (pg_hba.conf) or needs TLS: check the user, or set sslmode: require. ${doctor}`,
        details,
        cause: error,
      },
    );
  }
  if (code === '3D000') {
    return new OsirisError(ErrorCodes.CONNECTION_FAILED, `${context.ref}: ${message}`, {
      hint: `Check the database field of ${context.ref} (or the step's database override). ${doctor}`,
      details,
      cause: error,
    });
  }
  if (code === '57014') {
    return new CancelledError(`${context.ref}: the server cancelled the statement while ${context.action}`, {
      details,
      cause: error,
    });
  }
  if (isTransientConnectError(error)) {
    return new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${context.ref}: connection failed while ${context.action}: ${message}`,
      {
        hint: `Check that the server is running and reachable from this machine. ${doctor}`,
        details,
        cause: error,
        retryable: true,
      },
    );
  }
  const hint = typeof serverHint === 'string' ? redactor.text(serverHint) : hintFor(code);
  return new OsirisError(context.fallbackCode, `${context.ref}: ${context.action} failed: ${message}`, {
    ...(hint ? { hint } : {}),
    details,
    cause: error,
  });
}

function hintFor(code: string | undefined): string | undefined {
  switch (code) {
    case '42P01':
      return 'The table or view does not exist: check `schema` and `table` (names are case-sensitive when quoted), or run discovery on the connection.';
    case '42703':
      return 'A column does not exist: check the column names against the table (discovery lists them).';
    case '42501':
      return 'The user lacks a privilege on this object: GRANT it, or use a connection with a user that has it.';
    case '25006':
      return 'Extractors run in a read-only transaction: the query must only read.';
    case '23505':
      return 'A row repeats a key that must be unique: deduplicate the input, or use write_mode: upsert.';
    case '23502':
      return 'A NOT NULL column got NULL: filter or fill those rows upstream (e.g. with duckdb.processor).';
    case '42P10':
      return 'upsert needs a unique index or primary key on exactly the primary_key columns of the target table.';
    case '21000':
      return 'The input holds the same primary_key more than once: deduplicate it upstream (e.g. with duckdb.processor and QUALIFY).';
    case '2BP01':
    case '0A000':
      return 'Other tables reference this one (foreign keys): write_mode: replace cannot empty it; use upsert.';
    default:
      return undefined;
  }
}
