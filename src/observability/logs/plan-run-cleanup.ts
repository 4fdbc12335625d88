import type { RunIndexRow } from '../run-index.js';

export interface CleanupCriteria {
  /** Keep the N most recent runs. */
  keep?: number;
  /** Remove runs that started more than this many milliseconds before `now`. */
  olderThanMs?: number;
  now?: Date;
}

export interface CleanupPlan {
  remove: RunIndexRow[];
  keep: RunIndexRow[];
  /** Runs still marked running and recent enough that they may really be running. */
  running: RunIndexRow[];
}

/** A run still "running" after this long was abandoned (killed process), so it may be collected. */
export const ABANDONED_AFTER_MS = 24 * 3_600_000;

/**
 * Which runs `osiris logs gc` removes. With both criteria a run must meet both (older than the
 * age and beyond the N newest). The most recent run is never removed, and neither is a run that
 * may still be writing its session.
 */
export function planRunCleanup(rowsNewestFirst: RunIndexRow[], criteria: CleanupCriteria): CleanupPlan {
  const now = (criteria.now ?? new Date()).getTime();
  const keepCount = Math.max(1, criteria.keep ?? 1);
  const plan: CleanupPlan = { remove: [], keep: [], running: [] };
  rowsNewestFirst.forEach((row, position) => {
    const started = Date.parse(row.started_at);
    const beyondKeep = criteria.keep === undefined ? position >= 1 : position >= keepCount;
    const oldEnough =
      criteria.olderThanMs === undefined ||
      (Number.isFinite(started) && now - started > criteria.olderThanMs);
    const mayBeRunning =
      row.status === 'running' && !(Number.isFinite(started) && now - started > ABANDONED_AFTER_MS);
    if (position === 0 || !beyondKeep || !oldEnough) plan.keep.push(row);
    else if (mayBeRunning) plan.running.push(row);
    else plan.remove.push(row);
  });
  return plan;
}
