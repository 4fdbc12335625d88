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

/** Longest single wait on the server, so a long wait for another run never looks like a silent server. */
const WAIT_SLICE_MS = 2000;

/**
 * Take the target's lock at the start of the write transaction, before anything else touches
 * the table: a second writer of the same table waits here, holding nothing, instead of both
 * taking ACCESS SHARE (staging) and then deadlocking on each other's TRUNCATE. The lock is
 * transaction-scoped, so COMMIT, ROLLBACK or a dropped connection releases it.
 *
 * The wait is cut into slices of at most 2 s (a savepoint per try, rolled back when the slice
 * runs out), so the connection's read watchdog sees an answer every few seconds and an abort is
 * noticed within one slice. Afterwards `lock_timeout` stays set for the rest of the transaction:
 * a session outside Osiris that holds a conflicting lock on the table (a long report, an ALTER)
 * also ends in E_TARGET_LOCKED instead of an endless wait.
 */
export async function lockTarget(
  session: PostgresSession,
  schema: string,
  table: string,
  timeoutSeconds: number,
  options: { signal?: AbortSignal; statementWaitMs: number },
): Promise<void> {
  const { client } = session;
  const { signal } = options;
  const deadline = performance.now() + timeoutSeconds * 1000;
  for (;;) {
    const slice = Math.max(1, Math.min(WAIT_SLICE_MS, Math.ceil(deadline - performance.now())));
    await client.query(`SET LOCAL lock_timeout = ${slice}; SAVEPOINT osiris_target_lock`);
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [targetLockKey(schema, table)]);
      await client.query('RELEASE SAVEPOINT osiris_target_lock');
      break;
    } catch (error) {
      if (sqlState(error) !== LOCK_NOT_AVAILABLE) throw error;
      await client.query('ROLLBACK TO SAVEPOINT osiris_target_lock');
    }
    signal?.throwIfAborted();
    if (performance.now() >= deadline) {
      throw new OsirisError(
        ErrorCodes.TARGET_LOCKED,
        `${session.ref}: another run is writing to ${schema}.${table}; gave up after waiting ${timeoutSeconds} s`,
        {
          hint:
            'Each target table takes one writer at a time. Let the other run finish (`osiris logs list` ' +
            'shows running runs), or raise `lock_timeout` (seconds) on this step.',
          details: { table: `${schema}.${table}`, lock_timeout: timeoutSeconds },
          retryable: true,
        },
      );
    }
  }
  await client.query(`SET LOCAL lock_timeout = ${Math.round(options.statementWaitMs)}`);
}

/** A statement that ran out of `lock_timeout` on the table itself (not on another writer). */
export function targetLockedError(
  session: PostgresSession,
  error: unknown,
  where: string,
  statementWaitMs: number,
): OsirisError | undefined {
  const timeoutSeconds = Math.round(statementWaitMs / 1000);
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
