import { createHash } from 'node:crypto';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { statementLockWaitMs } from '../../util/lock-wait.js';
import type { MysqlSession } from './client.js';

/** Seconds a writer waits for its target when `lock_timeout` is not set. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 600;

/** Longest single wait on the server, so a long wait for another run never looks like a silent server. */
const WAIT_SLICE_SECONDS = 2;

/** GET_LOCK name of one target table (at most 64 characters, MySQL's limit; names fold case). */
export function targetLockName(schema: string, table: string): string {
  const name = `osiris.write:${schema}.${table}`.toLowerCase();
  if (name.length <= 64) return name;
  return `osiris.write:${createHash('sha256').update(name).digest('hex').slice(0, 48)}`;
}

/**
 * Take the target's named lock (GET_LOCK) before the writer looks at the table: writers of one
 * table take turns, so two replaces never race to create the table or to rename staging tables
 * over it, and two in-place replaces never deadlock. The lock belongs to the session: closing
 * or losing the connection releases it. The wait is cut into slices of at most 2 s so the
 * connection's read watchdog sees an answer every few seconds and an abort is noticed soon.
 *
 * `lock_wait_timeout` and `innodb_lock_wait_timeout` are set to the same number of seconds (ending
 * before the connection's read watchdog would fire), so
 * a session outside Osiris that keeps the table locked also ends in E_TARGET_LOCKED.
 */
export async function lockTarget(
  session: MysqlSession,
  schema: string,
  table: string,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<void> {
  const name = targetLockName(schema, table);
  const deadline = performance.now() + timeoutSeconds * 1000;
  for (;;) {
    const slice = Math.max(0, Math.min(WAIT_SLICE_SECONDS, Math.ceil((deadline - performance.now()) / 1000)));
    const [rows] = (await session.query.query('SELECT GET_LOCK(?, ?) AS got', [name, slice])) as unknown as [
      Record<string, unknown>[],
    ];
    if (Number(rows[0]?.got) === 1) break;
    signal?.throwIfAborted();
    if (performance.now() >= deadline) {
      throw new OsirisError(
        ErrorCodes.TARGET_LOCKED,
        `${session.settings.ref}: another run is writing to ${schema}.${table}; gave up after waiting ${timeoutSeconds} s`,
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
  const statementWait = statementLockWaitSeconds(session, timeoutSeconds);
  await session.query.query('SET SESSION lock_wait_timeout = ?, innodb_lock_wait_timeout = ?', [
    statementWait,
    statementWait,
  ]);
}

/** Whole seconds a statement may wait for another session's lock (see statementLockWaitMs). */
export function statementLockWaitSeconds(
  session: Pick<MysqlSession, 'settings'>,
  timeoutSeconds: number,
): number {
  return Math.max(1, Math.floor(statementLockWaitMs(timeoutSeconds, session.settings.readTimeoutMs) / 1000));
}

/** MySQL's lock-wait timeouts: another session kept the table (or its rows) too long. */
export function isLockWaitTimeout(driverCode: string | undefined): boolean {
  return driverCode === 'ER_LOCK_WAIT_TIMEOUT';
}
