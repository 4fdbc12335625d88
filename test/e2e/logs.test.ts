import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRun } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import { readZip } from '../fixtures/runs/read-zip.js';
import { runCli, runCliOnTerminal, TERMINAL_WRAPPER } from '../fixtures/runs/run-cli.js';
import { FIXTURE_ENV, failedRun, multiBranchRun, successRun } from '../fixtures/runs/scenarios.js';

/** A predictable environment: no display, no $BROWSER, no $OSIRIS_HOME from the machine. */
const ENV = {
  ...FIXTURE_ENV,
  DISPLAY: undefined,
  WAYLAND_DISPLAY: undefined,
  BROWSER: undefined,
  OSIRIS_HOME: undefined,
  TZ: 'UTC',
};

describe('osiris logs list / show / html / bundle', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  const ids = { success: '', failed: '', branches: '' };
  const cli = (...args: string[]) => runCli(['logs', ...args], { cwd: project.dir, env: ENV });

  beforeAll(async () => {
    project = await createFixtureProject();
    ids.success = (await createFixtureRun(project.dir, successRun(at(0)))).run_id;
    ids.failed = (await createFixtureRun(project.dir, failedRun(at(1)))).run_id;
    ids.branches = (await createFixtureRun(project.dir, multiBranchRun(at(2)))).run_id;
  });
  afterAll(() => project.remove());

  it('list prints newest first with status, start, duration, rows and adapter', async () => {
    const result = await cli('list');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN ID\s+PIPELINE\s+STATUS\s+START\s+DURATION\s+ROWS\s+ADAPTER$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual([
      ids.branches,
      ids.failed,
      ids.success,
    ]);
    expect(lines[1]).toMatch(/customer-360\s+failed\s+2025-03-01 11:00:00\s+4\.8 s\s+91,954\s+e2b/);
    expect(lines[3]).toMatch(/movies-top-rated\s+success\s+2025-03-01 09:00:00\s+708 ms\s+120\s+local/);
  });

  it('list filters by status, pipeline, since and limit, and prints JSON', async () => {
    const failed = JSON.parse((await cli('list', '--status', 'failed', '--json')).stdout);
    expect(failed.runs.map((run: { run_id: string }) => run.run_id)).toEqual([ids.branches, ids.failed]);
    const movies = JSON.parse((await cli('list', '--pipeline', 'movies-top-rated', '--json')).stdout);
    expect(movies.runs).toHaveLength(1);
    expect(movies.runs[0]).toMatchObject({
      run_id: ids.success,
      status: 'success',
      total_rows: 120,
      adapter: 'local',
    });
    const since = JSON.parse((await cli('list', '--since', '2025-03-01T10:30:00Z', '--json')).stdout);
    expect(since.runs).toHaveLength(1);
    const limited = JSON.parse((await cli('list', '--limit', '2', '--json')).stdout);
    expect(limited.runs).toHaveLength(2);
    const recent = JSON.parse((await cli('list', '--since', '7d', '--json')).stdout);
    expect(recent.runs).toEqual([]);
  });

  it('list rejects bad filters with exit code 2 and an example', async () => {
    const since = await cli('list', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('E_USAGE');
    expect(since.stderr).toContain('--since 7d');
    const status = await cli('list', '--status', 'great');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('success, failed, running, cancelled');
  });

  it('show prints the summary, the step table with rows/s, and errors with hints', async () => {
    const result = await cli('show', ids.failed);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('orders-sync  failed  [subprocess]');
    expect(result.stdout).toMatch(/STEP\s+COMPONENT\s+STATUS\s+ROWS\s+DURATION\s+ROWS\/S/);
    expect(result.stdout).toMatch(/extract-orders\s+mysql\.extractor\s+failed\s+0\s+1\.3 s/);
    expect(result.stdout).toContain('E_CONNECTION_FAILED Cannot connect to MySQL at db.internal:3306');
    expect(result.stdout).toContain('hint: Check that the host is reachable');
    expect(result.stdout).toContain("clean-orders: skipped, upstream step 'extract-orders' did not succeed");

    const success = await cli('show', ids.success);
    expect(success.stdout).toMatch(/extract-movies\s+duckdb\.extractor\s+success\s+12,480\s+420 ms\s+29,714/);
  });

  it('show --last --events prints the event stream; --json the whole run', async () => {
    const events = await cli('show', '--last', '--events');
    expect(events.code).toBe(0);
    expect(events.stdout).toContain('customer-360');
    expect(events.stdout).toMatch(/2025-03-01T11:00:00\.000Z run_start pipeline=customer-360/);
    expect(events.stdout).toMatch(/step_failed refunds error_code=E_AUTH_FAILED/);
    const json = JSON.parse((await cli('show', ids.branches, '--json')).stdout);
    expect(json.run).toMatchObject({
      runId: ids.branches,
      status: 'failed',
      adapter: 'e2b',
      totalRows: 91_954,
    });
    expect(json.run.steps).toHaveLength(7);
    expect(json.run.error).toMatchObject({ code: 'E_AUTH_FAILED', stepId: 'refunds' });
  });

  it('an unknown run id is E_RUN_NOT_FOUND, exit 2, pointing at `osiris logs list`', async () => {
    const result = await cli('show', 'run_20990101T000000000Z_abcdef');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[E_RUN_NOT_FOUND]');
    expect(result.stderr).toContain('osiris logs list');
    const json = await cli('show', 'nope', '--json');
    expect(JSON.parse(json.stdout).error.code).toBe('E_RUN_NOT_FOUND');
    const bundle = await cli('bundle', 'nope');
    expect(bundle.code).toBe(2);
  });

  it('html writes the run report and an index page linking it, then prints the path', async () => {
    const result = await cli('html', ids.failed);
    expect(result.code).toBe(0);
    const reportPath = join(project.dir, '.osiris', 'reports', `${ids.failed}.html`);
    expect(result.stdout.trim()).toBe(reportPath);
    const report = await readFile(reportPath, 'utf8');
    expect(report).toContain('E_CONNECTION_FAILED');
    expect(report).toContain('Check that the host is reachable');
    const index = await readFile(join(project.dir, '.osiris', 'reports', 'index.html'), 'utf8');
    expect(index).toContain(`href="${ids.failed}.html"`);
    expect(index).not.toContain(`href="${ids.success}.html"`);
    expect(index.match(/<tr data-status=/g)).toHaveLength(3);
  });

  it('html without a run id reports on the recent runs; --out picks the folder', async () => {
    const out = join(project.dir, 'site');
    const result = await cli('html', '--out', out);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').pop()).toBe(join(out, 'index.html'));
    expect((await readdir(out)).sort()).toEqual(
      ['index.html', `${ids.success}.html`, `${ids.failed}.html`, `${ids.branches}.html`].sort(),
    );
  });

  it('html --open starts $BROWSER with the report path', async () => {
    const script = join(project.dir, 'fake-browser.sh');
    const record = join(project.dir, 'opened.txt');
    await writeFile(script, `#!/bin/sh\nprintf '%s' "$1" > '${record}'\n`);
    await chmod(script, 0o755);
    const result = await runCli(['logs', 'html', '--last', '--open'], {
      cwd: project.dir,
      env: { ...ENV, BROWSER: script },
    });
    expect(result.code).toBe(0);
    const reportPath = join(project.dir, '.osiris', 'reports', `${ids.branches}.html`);
    await waitFor(() => existsSync(record));
    expect(await readFile(record, 'utf8')).toBe(reportPath);
  });

  it('html --open without a display only prints the path', async () => {
    const result = await cli('html', ids.success, '--open');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(join(project.dir, '.osiris', 'reports', `${ids.success}.html`));
    expect(result.stderr).toContain('not opened (no display is available)');
  });

  it('bundle zips the whole session under <run_id>/ with a note, readable by a zip reader', async () => {
    const target = join(project.dir, 'shared', 'run.zip');
    const result = await cli('bundle', ids.branches, '-o', target);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').pop()).toBe(target);
    expect(result.stdout).toContain(
      'binary files copied as they are (not redacted): artifacts/write-parquet/customer_360.parquet',
    );
    const entries = readZip(target);
    const names = entries.map((entry) => entry.name);
    for (const file of [
      'events.jsonl',
      'metrics.jsonl',
      'manifest.yaml',
      'status.json',
      'cfg/refunds.json',
      'artifacts/write-json/customer_360.jsonl',
      'osiris-bundle.json',
    ]) {
      expect(names).toContain(`${ids.branches}/${file}`);
    }
    const note = JSON.parse(
      entries.find((entry) => entry.name.endsWith('osiris-bundle.json'))!.data.toString(),
    );
    expect(note).toMatchObject({ run_id: ids.branches, redacted: true, pipeline: 'customer-360' });
    const events = entries.find((entry) => entry.name.endsWith('events.jsonl'))!.data.toString();
    const original = await readFile(
      join(project.dir, '.osiris', 'runs', ids.branches, 'events.jsonl'),
      'utf8',
    );
    expect(events).toBe(original);
  });
});

describe('osiris logs in a project without runs', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  beforeAll(async () => {
    project = await createFixtureProject();
  });
  afterAll(() => project.remove());

  it('list says there is nothing yet and creates no files', async () => {
    const result = await runCli(['logs', 'list'], { cwd: project.dir, env: ENV });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No runs match');
    expect(existsSync(join(project.dir, '.osiris'))).toBe(false);
  });

  it('show --last explains how to get a first run', async () => {
    const result = await runCli(['logs', 'show', '--last'], { cwd: project.dir, env: ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No runs recorded yet');
    expect(result.stderr).toContain('osiris run');
  });
});

describe('osiris logs gc', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  const ids: string[] = [];
  const cli = (...args: string[]) => runCli(['logs', ...args], { cwd: project.dir, env: ENV });
  const listed = async () =>
    JSON.parse((await cli('list', '--json', '--limit', '100')).stdout).runs.map(
      (run: { run_id: string }) => run.run_id,
    );

  beforeAll(async () => {
    project = await createFixtureProject();
    for (let hour = 0; hour < 5; hour += 1)
      ids.unshift((await createFixtureRun(project.dir, successRun(at(hour)))).run_id);
  });
  afterAll(() => project.remove());

  it('needs --keep or --older-than', async () => {
    const result = await cli('gc');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--keep N and/or --older-than AGE');
  });

  it('without a terminal and without --yes it refuses and deletes nothing', async () => {
    const result = await cli('gc', '--keep', '2');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Refusing to delete 3 run sessions without confirmation');
    expect(result.stderr).toContain('--yes');
    expect(await listed()).toEqual(ids);
  });

  it('--dry-run lists what would go', async () => {
    const result = await cli('gc', '--keep', '2', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Would delete 3 runs');
    expect(result.stdout).toContain(ids[4]);
    expect(await listed()).toEqual(ids);
  });

  it('--keep N --yes deletes older sessions and their index rows', async () => {
    const result = await cli('gc', '--keep', '3', '--yes');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('deleted 2 run sessions');
    expect(await listed()).toEqual(ids.slice(0, 3));
    const folders = (await readdir(join(project.dir, '.osiris', 'runs'))).filter((name) =>
      name.startsWith('run_'),
    );
    expect(folders.sort()).toEqual(ids.slice(0, 3).sort());
  });

  it('--older-than never deletes the most recent run', async () => {
    const result = await cli('gc', '--older-than', '1d', '--yes', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ deleted: 2, kept: 1 });
    expect(await listed()).toEqual([ids[0]]);
    expect(existsSync(join(project.dir, '.osiris', 'runs', ids[0]!, 'events.jsonl'))).toBe(true);
  });
});

describe.skipIf(!existsSync(TERMINAL_WRAPPER))('osiris logs gc on a terminal', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  const ids: string[] = [];
  const listed = async () =>
    JSON.parse((await runCli(['logs', 'list', '--json'], { cwd: project.dir, env: ENV })).stdout).runs.map(
      (run: { run_id: string }) => run.run_id,
    );
  const gcOnTerminal = async (answer: string) => {
    const result = await runCliOnTerminal(['logs', 'gc', '--keep', '1'], {
      cwd: project.dir,
      env: ENV,
      input: `${answer}\n`,
    });
    expect(result.code).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    project = await createFixtureProject();
    for (let hour = 0; hour < 3; hour += 1)
      ids.unshift((await createFixtureRun(project.dir, successRun(at(hour)))).run_id);
  });
  afterAll(() => project.remove());

  it('asks first; "n" deletes nothing', async () => {
    const output = await gcOnTerminal('n');
    expect(output).toContain('Delete 2 run sessions');
    expect(output).toContain('[y/N]');
    expect(output).toContain('Nothing was deleted.');
    expect(await listed()).toEqual(ids);
  });

  it('"y" deletes', async () => {
    const output = await gcOnTerminal('y');
    expect(output).toContain('deleted 2 run sessions');
    expect(await listed()).toEqual([ids[0]]);
  });
});

/** Polls until `check` holds: the browser stand-in runs detached, after the CLI has exited. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !check(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(check()).toBe(true);
}
