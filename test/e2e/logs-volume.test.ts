import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRun, createIndexOnlyRuns } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import { runCli } from '../fixtures/runs/run-cli.js';
import { FIXTURE_ENV, wideRun } from '../fixtures/runs/scenarios.js';

const ENV = { ...FIXTURE_ENV, DISPLAY: undefined, BROWSER: undefined, OSIRIS_HOME: undefined };

/**
 * 1,000 runs that exist only in the index (no session folders: listing must never open them) and
 * one 200-step run. Timings are printed for the record, not asserted.
 */
describe('logs with 1,000 runs and a 200-step run', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  let wideId = '';
  const cli = async (...args: string[]) => {
    const started = performance.now();
    const result = await runCli(['logs', ...args], { cwd: project.dir, env: ENV });
    console.log(
      `osiris logs ${args.join(' ')}: ${Math.round(performance.now() - started)} ms (process included)`,
    );
    return result;
  };

  beforeAll(async () => {
    project = await createFixtureProject();
    await createIndexOnlyRuns(project.dir, 1000, at(-24 * 30));
    wideId = (await createFixtureRun(project.dir, wideRun(at(0)))).run_id;
  });
  afterAll(() => project.remove());

  it('list answers from the index alone', async () => {
    const result = await cli('list', '--limit', '1000', '--json');
    expect(result.code).toBe(0);
    const runs = JSON.parse(result.stdout).runs;
    expect(runs).toHaveLength(1000);
    expect(runs[0].run_id).toBe(wideId);
    const table = await cli('list', '--pipeline', 'pipeline-3', '--limit', '500');
    expect(table.stdout.trim().split('\n')).toHaveLength(1 + 143);
  });

  it('show and html handle the 200-step run; the index page lists 1,000 runs', async () => {
    const show = await cli('show', wideId);
    expect(show.code).toBe(0);
    expect(show.stdout.match(/^\S+\s+\S+\s+success\s/gm)).toHaveLength(200);
    const html = await cli('html', wideId);
    expect(html.code).toBe(0);
    const report = await readFile(html.stdout.trim(), 'utf8');
    expect(report.match(/<details class="step-card/g)).toHaveLength(200);
    const index = await readFile(join(project.dir, '.osiris', 'reports', 'index.html'), 'utf8');
    expect(index.match(/<tr data-status=/g)).toHaveLength(1000);
    expect(index.match(/class="pipeline-card"/g)).toHaveLength(8);
  });
});
