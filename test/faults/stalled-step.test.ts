import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject } from '../support/project.js';
import { privateTmp } from './fault-run.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/stalled-run.ts', import.meta.url));

/**
 * Issue 19 item 1, the runner's own guard: whatever a driver does wrong, the process must never
 * end while a step is unfinished. A step that nothing can finish fails with E_STEP_STALLED, the
 * run is recorded as failed, its temp folder is removed and the process ends normally.
 */
describe('a step that can never finish', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it('fails with E_STEP_STALLED instead of the process exiting as if the run had succeeded', async () => {
    const project = await makeProject({
      'pipelines/stall.yaml': `oml_version: "0.1.0"
name: stalls
steps:
  - { id: stuck, component: test.stall, mode: read, config: {} }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [stuck], config: { path: out/never.csv } }
`,
    });
    const tmp = await privateTmp();
    cleanup.push(project, tmp);
    const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, project], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, TMPDIR: tmp },
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout, result.stderr).not.toBe('');
    const status = JSON.parse(result.stdout);
    expect(status.status).toBe('failed');
    expect(status.error).toMatchObject({ code: 'E_STEP_STALLED', step_id: 'stuck' });
    expect(status.steps.map((step: { status: string }) => step.status)).toEqual(['failed', 'skipped']);
    // The run's data-plane folder is gone (tsx keeps its own cache there).
    expect(readdirSync(tmp).filter((name) => name.startsWith('osiris-'))).toEqual([]);
  });
});
