import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor } from './redaction.js';
import { isRunId, newRunId } from './run-id.js';
import { RunIndex } from './run-index.js';
import { RunSession } from './run-session.js';

describe('RunSession', () => {
  it('writes redacted event and metric lines and an atomic status file', async () => {
    const runsDir = await mkdtemp(join(tmpdir(), 'osiris-session-'));
    const runId = newRunId();
    const session = await RunSession.create({
      runId,
      runsDir,
      redactor: new Redactor(['planted-secret-123']),
    });
    session.event('step_failed', {
      step_id: 'a',
      message: 'auth failed for planted-secret-123',
      password: 'x',
    });
    session.metric({ metric: 'rows_read', value: 5, unit: 'rows', step_id: 'a' });
    await session.close();
    await session.writeStatus({
      run_id: runId,
      pipeline: 'p',
      status: 'failed',
      adapter: 'local',
      started_at: new Date().toISOString(),
      total_rows: 0,
      steps: [],
      manifest_fp: 'sha256:x',
      session_dir: session.dir,
    });

    const events = (await readFile(join(session.dir, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ run_id: runId, event: 'step_failed', step_id: 'a', password: '***' });
    expect(events[0].message).toBe('auth failed for ***');
    const metrics = (await readFile(join(session.dir, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(metrics[0]).toMatchObject({ metric: 'rows_read', value: 5, unit: 'rows', step_id: 'a' });
    const files = await readdir(session.dir);
    expect(files.sort()).toEqual(['artifacts', 'events.jsonl', 'metrics.jsonl', 'status.json']);
    for (const file of ['events.jsonl', 'metrics.jsonl', 'status.json']) {
      expect(await readFile(join(session.dir, file), 'utf8')).not.toContain('planted-secret-123');
    }
  });
});

describe('RunIndex', () => {
  it('lists runs newest first with filters', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-index-'));
    const index = await RunIndex.open(join(dir, 'index.db'));
    const base = {
      adapter: 'local',
      total_rows: 1,
      steps: [],
      manifest_fp: 'sha256:x',
      session_dir: 'x',
    };
    index.upsert({
      ...base,
      run_id: 'run_a',
      pipeline: 'p1',
      status: 'success',
      started_at: '2026-01-01T00:00:00.000Z',
    });
    index.upsert({
      ...base,
      run_id: 'run_b',
      pipeline: 'p2',
      status: 'failed',
      started_at: '2026-01-02T00:00:00.000Z',
    });
    index.upsert({
      ...base,
      run_id: 'run_a',
      pipeline: 'p1',
      status: 'failed',
      started_at: '2026-01-01T00:00:00.000Z',
      total_rows: 7,
    });
    expect(index.list().map((r) => r.run_id)).toEqual(['run_b', 'run_a']);
    expect(index.list({ status: 'failed', pipeline: 'p1' })).toMatchObject([
      { run_id: 'run_a', total_rows: 7 },
    ]);
    expect(index.list({ since: '2026-01-02' }).map((r) => r.run_id)).toEqual(['run_b']);
    expect(index.last()?.run_id).toBe('run_b');
    index.close();
  });
});

describe('run ids', () => {
  it('sort by start time and are recognisable', () => {
    const early = newRunId(new Date('2026-01-01T00:00:00Z'));
    const late = newRunId(new Date('2026-01-01T00:00:01Z'));
    expect(isRunId(early)).toBe(true);
    expect([late, early].sort()).toEqual([early, late]);
  });
});
