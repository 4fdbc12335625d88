import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject } from '../support/project.js';
import { privateTmp } from './fault-run.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/deaf-run.ts', import.meta.url));

/**
 * Issue 19 item 2: the second Ctrl-C exits at once (130), but must not leave the run `running` with
 * its temp folder behind: the run is recorded as cancelled and its temp folder removed on the way out.
 */
describe('a second Ctrl-C while a step ignores the first', () => {
  const cleanup: string[] = [];
  afterAll(async () => {
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it('exits 130 with the run recorded as cancelled and no temp folder left', async () => {
    const project = await makeProject({
      'pipelines/deaf.yaml': `oml_version: "0.1.0"
name: deaf
steps:
  - { id: busy, component: test.deaf, mode: read, config: {} }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [busy], config: { path: out/never.csv } }
`,
    });
    const tmp = await privateTmp();
    cleanup.push(project, tmp);
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, project], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('started')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before the step started: ${stderr}`)));
    });
    expect(readdirSync(tmp).filter((name) => name.startsWith('osiris-run-'))).not.toEqual([]);
    child.kill('SIGINT');
    // The first Ctrl-C is acknowledged, and the step ignores it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stderr).toContain('Cancelling');
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stdout).not.toContain('finished');

    const runsDir = join(project, '.osiris/runs');
    const runIds = readdirSync(runsDir).filter((name) => name.startsWith('run_'));
    expect(runIds).toHaveLength(1);
    const status = JSON.parse(await readFile(join(runsDir, runIds[0]!, 'status.json'), 'utf8'));
    expect(status.status).toBe('cancelled');
    expect(status.error.code).toBe('E_CANCELLED');
    expect(status.finished_at).toEqual(expect.any(String));
    expect(readdirSync(tmp).filter((name) => name.startsWith('osiris-run-'))).toEqual([]);
  }, 60_000);
});
