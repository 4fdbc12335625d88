import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTag, processStartTicks } from '../../src/util/process-identity.js';
import { OSIRIS_BIN, runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * Issue 19 item 4: a run whose process is killed must not stay `running` forever, and what it left
 * behind (its temp data-plane folder, hidden temp output files) is removed by the next run.
 *
 * The first run reads a named pipe nobody writes to, so it is certainly still inside its first
 * step when it is killed (no timing involved).
 */
const PIPELINE = `oml_version: "0.1.0"
name: users
steps:
  - { id: users, component: duckdb.extractor, mode: read, config: { query: "SELECT * FROM read_csv('data/users.csv', header = true, columns = {'id': 'INTEGER', 'name': 'VARCHAR'})" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [users], config: { path: output/users.csv } }
`;

interface Status {
  run_id: string;
  status: string;
  steps: Array<{ id: string; status: string; error?: { code: string } }>;
  error?: { code: string; step_id?: string };
  process?: { pid: number; host: string; started?: string; tmpdir: string };
  leftovers_removed_at?: string;
}

describe.skipIf(process.platform === 'win32')('a killed run (issue 19 item 4)', () => {
  it('is marked crashed by `logs list`, and the next run removes its temp folder and temp files', async () => {
    const dir = await makeProject({ 'pipelines/users.yaml': PIPELINE });
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    await mkdir(join(dir, 'data'));
    await mkdir(join(dir, 'output'));
    expect(spawnSync('mkfifo', [join(dir, 'data/users.csv')]).status).toBe(0);
    const env = { TMPDIR: tmp, OSIRIS_HOME: undefined };

    // 1. Start a run and SIGKILL it inside its first step.
    const child = spawn(process.execPath, [OSIRIS_BIN, 'run', 'pipelines/users.yaml'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('▶ users')) resolve();
      });
      child.on('exit', () => reject(new Error(`the run ended before it was killed:\n${stderr}`)));
    });
    // The terminal line can come before the step_start event reaches events.jsonl (a buffered
    // stream); what the crash detection knows is what is on disk, so wait for that.
    const runsDir = join(dir, '.osiris', 'runs');
    const [runId] = (await readdir(runsDir)).filter((name) => name.startsWith('run_'));
    const eventsFile = join(runsDir, runId!, 'events.jsonl');
    for (let attempt = 0; attempt < 200; attempt++) {
      const events = await readFile(eventsFile, 'utf8').catch(() => '');
      if (events.includes('"step_start"')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await exited;

    const statusFile = join(runsDir, runId!, 'status.json');
    const before = JSON.parse(await readFile(statusFile, 'utf8')) as Status;
    expect(before.status).toBe('running');
    expect(before.process).toMatchObject({ pid: child.pid, tmpdir: tmp });
    const tempFolders = (await readdir(tmp)).filter((name) => name.startsWith(`osiris-run-${runId}-`));
    expect(tempFolders).toHaveLength(1);

    // What a writer killed mid-file leaves: its hidden temp file, named after its (dead) process.
    const owner = before.process!;
    const deadLeftover = join(
      dir,
      'output',
      `.users.csv.tmp-${hostTag(owner.host)}-${owner.pid}-${owner.started ?? '0'}-0123456789ab`,
    );
    await writeFile(deadLeftover, 'id,name\n1,half a row');
    // A temp file of a process that is alive (this one) is someone's write in progress: kept.
    const liveLeftover = join(
      dir,
      'output',
      `.users.csv.tmp-${hostTag()}-${process.pid}-${processStartTicks(process.pid) ?? '0'}-ba9876543210`,
    );
    await writeFile(liveLeftover, 'in progress');

    // 2. `logs list` marks it crashed, with what is known.
    const listed = await runCli(['logs', 'list', '--json'], { cwd: dir, env });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).runs).toEqual([
      expect.objectContaining({
        run_id: runId,
        status: 'crashed',
        error_code: 'E_RUN_CRASHED',
        pid: child.pid,
      }),
    ]);
    const crashed = JSON.parse(await readFile(statusFile, 'utf8')) as Status;
    expect(crashed).toMatchObject({ status: 'crashed', error: { code: 'E_RUN_CRASHED', step_id: 'users' } });
    expect(crashed.steps.map((step) => [step.id, step.status, step.error?.code])).toEqual([
      ['users', 'failed', 'E_RUN_CRASHED'],
      ['out', 'pending', undefined],
    ]);
    const shown = await runCli(['logs', 'show', runId!, '--json'], { cwd: dir, env });
    expect(JSON.parse(shown.stdout).run).toMatchObject({ status: 'crashed' });
    // Listing removes nothing: the leftovers are still there.
    expect(existsSync(join(tmp, tempFolders[0]!))).toBe(true);
    expect(existsSync(deadLeftover)).toBe(true);

    // 3. The next run of the pipeline succeeds and removes what the killed run left.
    await rm(join(dir, 'data/users.csv'));
    await writeFile(join(dir, 'data/users.csv'), 'id,name\n1,Ada\n2,Linus\n');
    const next = await runCli(['run', 'pipelines/users.yaml', '--json'], { cwd: dir, env });
    expect(next.code, next.stderr).toBe(0);
    const nextStatus = JSON.parse(next.stdout) as Status;
    expect(nextStatus.status).toBe('success');
    expect(await readFile(join(dir, 'output/users.csv'), 'utf8')).toBe('id,name\n1,Ada\n2,Linus\n');
    expect(await readdir(tmp)).toEqual([]);
    expect(existsSync(deadLeftover)).toBe(false);
    expect(existsSync(liveLeftover)).toBe(true);
    const events = (await readFile(join(runsDir, nextStatus.run_id, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const cleaned = events.find((event) => event.event === 'crashed_run_leftovers_removed');
    expect(cleaned).toMatchObject({ crashed_run_id: runId });
    expect(cleaned.removed).toEqual(expect.arrayContaining([join(tmp, tempFolders[0]!), deadLeftover]));
    expect((JSON.parse(await readFile(statusFile, 'utf8')) as Status).leftovers_removed_at).toBeTruthy();
  });
});
