import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../fixtures/runs/read-zip.js';
import { runCli } from '../fixtures/runs/run-cli.js';

const ENV = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, BROWSER: undefined, OSIRIS_HOME: undefined };

const BROKEN_PIPELINE = `oml_version: "0.1.0"
name: broken-ratings
steps:
  - id: extract-movies
    component: duckdb.extractor
    mode: read
    config:
      connection: "@duckdb.movies"
      table: movies
  - id: rate
    component: duckdb.processor
    mode: transform
    needs: [extract-movies]
    config:
      query: SELECT no_such_column FROM input_df
  - id: write-csv
    component: filesystem.csv_writer
    mode: write
    needs: [rate]
    config:
      path: output/broken.csv
`;

/** The logs commands over sessions written by real `osiris demo` and `osiris run` runs. */
describe('osiris logs over real runs', () => {
  let root = '';
  let project = '';
  const cli = (...args: string[]) => runCli(args, { cwd: project, env: ENV });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'osiris-logs-real-'));
    project = join(root, 'demo');
    const demo = await runCli(['demo', project], { cwd: root, env: ENV });
    expect(demo.code, demo.stderr).toBe(0);
    await writeFile(join(project, 'pipelines', 'broken.yaml'), BROKEN_PIPELINE);
    const broken = await cli('run', 'pipelines/broken.yaml');
    expect(broken.code, broken.stderr).toBe(3);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('list shows the demo runs and the failed run, newest first', async () => {
    const runs = JSON.parse((await cli('logs', 'list', '--json')).stdout).runs;
    expect(runs.map((run: { pipeline: string; status: string }) => `${run.pipeline}:${run.status}`)).toEqual([
      'broken-ratings:failed',
      'director-stats:success',
      'movie-ratings:success',
    ]);
    // 150 rows written to CSV and to Parquet are 150 rows delivered, not 300.
    expect(runs[2]).toMatchObject({ adapter: 'local', total_rows: 150 });
  });

  it('show --last names the failing step, the database error and its hint', async () => {
    const result = await cli('logs', 'show', '--last');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/extract-movies\s+duckdb\.extractor\s+success\s+150/);
    expect(result.stdout).toMatch(/rate\s+duckdb\.processor\s+failed/);
    expect(result.stdout).toMatch(/write-csv\s+filesystem\.csv_writer\s+skipped/);
    expect(result.stdout).toContain('✖ rate: E_QUERY_FAILED');
    expect(result.stdout).toContain('no_such_column');
    expect(result.stdout).toContain('hint: Available relations');
  });

  it('html reports every run with the real steps, rows and error', async () => {
    const result = await cli('logs', 'html');
    expect(result.code).toBe(0);
    const runs = JSON.parse((await cli('logs', 'list', '--json')).stdout).runs as Array<{ run_id: string }>;
    const reports = join(project, '.osiris', 'reports');
    const failed = await readFile(join(reports, `${runs[0]!.run_id}.html`), 'utf8');
    expect(failed).toContain('E_QUERY_FAILED');
    expect(failed).toContain('Available relations');
    const ratings = await readFile(join(reports, `${runs[2]!.run_id}.html`), 'utf8');
    for (const step of ['extract-movies', 'extract-reviews', 'rate-movies', 'write-csv', 'write-parquet']) {
      expect(ratings).toContain(`data-step="${step}"`);
    }
    expect(ratings).toContain('output/movie_ratings.parquet');
    const index = await readFile(join(reports, 'index.html'), 'utf8');
    for (const run of runs) expect(index).toContain(`href="${run.run_id}.html"`);
  });

  it('bundle --last holds the real session files', async () => {
    const target = join(root, 'broken.zip');
    const result = await cli('logs', 'bundle', '--last', '-o', target);
    expect(result.code, result.stderr).toBe(0);
    const names = readZip(target).map((entry) => entry.name.split('/').slice(1).join('/'));
    expect(names).toEqual(
      expect.arrayContaining([
        'events.jsonl',
        'metrics.jsonl',
        'manifest.yaml',
        'status.json',
        'cfg/rate.json',
        'osiris-bundle.json',
      ]),
    );
  });

  it('gc --keep 1 --yes leaves only the newest run', async () => {
    const result = await cli('logs', 'gc', '--keep', '1', '--yes');
    expect(result.code, result.stderr).toBe(0);
    const runs = JSON.parse((await cli('logs', 'list', '--json')).stdout).runs;
    expect(runs.map((run: { pipeline: string }) => run.pipeline)).toEqual(['broken-ratings']);
  });
});
