import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunStatusFile } from '../spec/events.js';
import { RunIndex } from './run-index.js';

function runsDirWith(ids: string[]): string {
  const runsDir = join(mkdtempSync(join(tmpdir(), 'osiris-run-index-')), '.osiris', 'runs');
  ids.forEach((id, n) => {
    mkdirSync(join(runsDir, id), { recursive: true });
    const status: RunStatusFile = {
      run_id: id,
      pipeline: 'p',
      status: 'success',
      adapter: 'local',
      started_at: `2026-01-0${n + 1}T00:00:00.000Z`,
      total_rows: n,
      steps: [],
      manifest_fp: 'sha256:x',
      session_dir: `.osiris/runs/${id}`,
    };
    writeFileSync(join(runsDir, id, 'status.json'), JSON.stringify(status));
  });
  return runsDir;
}

describe('RunIndex', () => {
  it('rebuilds a missing index from the run folders', async () => {
    const runsDir = runsDirWith(['run_a', 'run_b']);
    const index = await RunIndex.open(join(runsDir, 'index.db'));
    expect(index.list().map((row) => row.run_id)).toEqual(['run_b', 'run_a']);
    index.close();
  });

  it('sets a damaged index aside and rebuilds it, losing no run', async () => {
    const runsDir = runsDirWith(['run_a', 'run_b']);
    // What a pipeline writing `path: .osiris/runs/index.db` used to leave behind.
    writeFileSync(join(runsDir, 'index.db'), 'id,name\n1,Ada\n'.repeat(200));
    const index = await RunIndex.open(join(runsDir, 'index.db'));
    expect(index.list().map((row) => row.run_id)).toEqual(['run_b', 'run_a']);
    index.close();
    expect(existsSync(join(runsDir, 'index.db.damaged'))).toBe(true);
    const again = await RunIndex.open(join(runsDir, 'index.db'));
    expect(again.get('run_a')?.total_rows).toBe(0);
    again.close();
  });
});
