import { describe, expect, it } from 'vitest';
import type { RunIndexRow } from '../run-index.js';
import { planRunCleanup } from './plan-run-cleanup.js';

const now = new Date('2025-03-31T00:00:00Z');

function row(daysAgo: number, status = 'success'): RunIndexRow {
  const started = new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  return {
    run_id: `run_${daysAgo}`,
    pipeline: 'p',
    status,
    adapter: 'local',
    started_at: started,
    finished_at: started,
    duration_ms: 1,
    total_rows: 0,
    session_dir: `.osiris/runs/run_${daysAgo}`,
    manifest_fp: 'sha256:0',
    error_code: null,
  };
}

const ids = (rows: RunIndexRow[]) => rows.map((r) => r.run_id);

describe('planRunCleanup', () => {
  const rows = [row(0), row(1), row(10), row(40), row(90)];

  it('--keep keeps the N most recent', () => {
    expect(ids(planRunCleanup(rows, { keep: 2, now }).remove)).toEqual(['run_10', 'run_40', 'run_90']);
  });

  it('--older-than removes runs past the age', () => {
    expect(ids(planRunCleanup(rows, { olderThanMs: 30 * 86_400_000, now }).remove)).toEqual([
      'run_40',
      'run_90',
    ]);
  });

  it('both criteria must hold', () => {
    expect(ids(planRunCleanup(rows, { keep: 4, olderThanMs: 5 * 86_400_000, now }).remove)).toEqual([
      'run_90',
    ]);
  });

  it('never removes the most recent run, however old', () => {
    const old = [row(100), row(200)];
    expect(ids(planRunCleanup(old, { olderThanMs: 0, now }).remove)).toEqual(['run_200']);
    expect(ids(planRunCleanup(old, { keep: 0, now }).remove)).toEqual(['run_200']);
  });

  it('keeps runs that may still be running, but collects abandoned ones', () => {
    const plan = planRunCleanup(
      [row(0), { ...row(0.5, 'running'), run_id: 'live' }, { ...row(3, 'running'), run_id: 'dead' }],
      {
        keep: 1,
        now,
      },
    );
    expect(ids(plan.running)).toEqual(['live']);
    expect(ids(plan.remove)).toEqual(['dead']);
  });
});
