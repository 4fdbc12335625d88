import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OSIRIS_BIN } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * Issue 19 item 3: terminal output is best-effort. A reader that closes early must not fail or
 * stop the run: it finishes, writes its output, records success and cleans its temp folder.
 */
const PROJECT = {
  'data/users.csv': 'id,name\n1,Ada\n2,Linus\n',
  // The middle step does some real work, so lines are still being printed after the reader left.
  'pipelines/busy.yaml': `oml_version: "0.1.0"
name: busy
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: work, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT u.id, u.name, (SELECT count(*) FROM range(10000000)) AS n FROM input_df u ORDER BY u.id" } }
  - { id: shout, component: duckdb.processor, mode: transform, needs: [work], config: { query: "SELECT id, upper(name) AS name FROM input_df ORDER BY id" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: output/users.csv } }
`,
};

const EXPECTED = 'id,name\n1,ADA\n2,LINUS\n';

async function project(): Promise<{ dir: string; tmp: string; env: NodeJS.ProcessEnv }> {
  const dir = await makeProject(PROJECT);
  // The run's temp folders go here, so the test can see that none is left behind.
  const tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TMPDIR: tmp, OSIRIS_HOME: undefined };
  return { dir, tmp, env };
}

async function runStatus(dir: string): Promise<{ status: string; total_rows: number }> {
  const runs = (await readdir(join(dir, '.osiris', 'runs'))).filter((name) => name.startsWith('run_'));
  expect(runs).toHaveLength(1);
  return JSON.parse(await readFile(join(dir, '.osiris', 'runs', runs[0]!, 'status.json'), 'utf8'));
}

describe('closed terminal output (issue 19 item 3)', () => {
  it('finishes the run when stdout and stderr are closed before the first line', async () => {
    const { dir, tmp, env } = await project();
    const child = spawn(process.execPath, [OSIRIS_BIN, 'run', 'pipelines/busy.yaml'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away at once: every line the CLI prints meets a closed pipe (EPIPE).
    child.stdout.destroy();
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(code).toBe(0);
    expect(await readFile(join(dir, 'output/users.csv'), 'utf8')).toBe(EXPECTED);
    expect(await runStatus(dir)).toMatchObject({ status: 'success', total_rows: 2 });
    expect(await readdir(tmp)).toEqual([]);
  });

  it('finishes the run under `osiris run x.yaml 2>&1 | head -1`', async () => {
    const { dir, tmp, env } = await project();
    const script = `"${process.execPath}" "${OSIRIS_BIN}" run pipelines/busy.yaml 2>&1 | head -1; exit \${PIPESTATUS[0]}`;
    const child = spawn('bash', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve(exitCode));
    });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'output/users.csv'))).toBe(true);
    expect(await readFile(join(dir, 'output/users.csv'), 'utf8')).toBe(EXPECTED);
    expect(await runStatus(dir)).toMatchObject({ status: 'success', total_rows: 2 });
    expect(await readdir(tmp)).toEqual([]);
  });
});
