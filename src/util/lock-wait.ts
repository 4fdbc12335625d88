/**
 * Milliseconds a statement may wait for a lock another session holds: the step's `lock_timeout`,
 * but always ending (with E_TARGET_LOCKED) a little before the connection's read watchdog would
 * take the silent wait for a frozen server and drop the connection (E_TIMEOUT).
 */
export function statementLockWaitMs(lockTimeoutSeconds: number, readTimeoutMs: number | undefined): number {
  const wanted = lockTimeoutSeconds * 1000;
  if (readTimeoutMs === undefined) return wanted;
  return Math.max(1000, Math.min(wanted, readTimeoutMs - 2000));
}
