import { createHash } from 'node:crypto';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { PostgresSession } from './client.js';
import { sqlState } from './postgres-error.js';

/** Seconds a writer waits for its target when `lock_timeout` is not set. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 600;

/** SQLSTATE 55P03 lock_not_available: `lock_timeout` ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The advisory-lock key of one target table: 64 bits of SHA-256 over `schema.table` (advisory
 * locks are per database already), as a signed bigint in decimal text.
 */
export function targetLockKey(schema: string, table: string): string {
  const digest = createHash('sha256').update(`osiris.write:${schema}.${table}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Take the target's lock at the start of the write transaction, before anything else touches
 * the table: a second writer of the same table waits here, holding nothing, instead of both
 * taking ACCESS SHARE (staging) and then deadlocking on each other's TRUNCATE. The lock is
 * transaction-scoped, so COMMIT, ROLLBACK or a dropped connection releases it.
 *
 * `lock_timeout` stays set for the rest of the transaction, so a session outside Osiris that
 * holds a conflicting lock on the table (a long report, an ALTER) also ends in E_TARGET_LOCKED
 * after that long instead of an endless wait.
 */
export async function lockTarget(
  session: PostgresSession,
  schema: string,
  table: string,
  timeoutSeconds: number,
): Promise<void> {
  await session.client.query(`SET LOCAL lock_timeout = ${Math.round(timeoutSeconds * 1000)}`);
  try {
    await session.client.query('SELECT pg_advisory_xact_lock($1::bigint)', [targetLockKey(schema, table)]);
  } catch (error) {
    if (sqlState(error) !== LOCK_NOT_AVAILABLE) throw error;
    throw new OsirisError(
      ErrorCodes.TARGET_LOCKED,
      `${session.ref}: another run is writing to ${schema}.${table}; gave up after waiting ${timeoutSeconds} s`,
      {
        hint:
          'Each target table takes one writer at a time. Let the other run finish (`osiris logs list` shows ' +
          'running runs), or raise `lock_timeout` (seconds) on this step.',
        details: { table: `${schema}.${table}`, lock_timeout: timeoutSeconds },
        cause: error,
        retryable: true,
      },
    );
  }
}

/** A statement that ran out of `lock_timeout` on the table itself (not on another writer). */
export function targetLockedError(
  session: PostgresSession,
  error: unknown,
  where: string,
  timeoutSeconds: number,
): OsirisError | undefined {
  if (sqlState(error) !== LOCK_NOT_AVAILABLE) return undefined;
  return new OsirisError(
    ErrorCodes.TARGET_LOCKED,
    `${session.ref}: another session holds a lock on ${where}; gave up after waiting ${timeoutSeconds} s`,
    {
      hint:
        'A query or transaction outside this run keeps the table (see pg_stat_activity / pg_locks on the ' +
        'server). Let it finish, or raise `lock_timeout` (seconds) on this step.',
      details: { table: where, lock_timeout: timeoutSeconds },
      cause: error,
      retryable: true,
    },
  );
}
