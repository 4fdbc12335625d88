import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRun } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import { runCli } from '../fixtures/runs/run-cli.js';
import {
  FIXTURE_ENV,
  failedRun,
  PLANTED_API_KEY,
  PLANTED_PASSWORD,
  secretRun,
  successRun,
} from '../fixtures/runs/scenarios.js';

const ENV = { ...FIXTURE_ENV, OSIRIS_HOME: undefined };

/** `osiris logs aiop` through the built CLI: byte-identical output, formats, --out, list and prune. */
describe('osiris logs aiop (built CLI)', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  let failedId = '';
  let secretId = '';
  const cli = (...args: string[]) => runCli(['logs', 'aiop', ...args], { cwd: project.dir, env: ENV });

  beforeAll(async () => {
    project = await createFixtureProject();
    await createFixtureRun(project.dir, successRun(at(0)));
    failedId = (await createFixtureRun(project.dir, failedRun(at(1)))).run_id;
    secretId = (await createFixtureRun(project.dir, secretRun(at(2)))).run_id;
  });
  afterAll(() => project.remove());

  it('prints the same bytes twice; --format md prints the run card', async () => {
    const first = await cli(failedId);
    const second = await cli(failedId);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const core = JSON.parse(first.stdout);
    expect(core.run).toMatchObject({ run_id: failedId, pipeline: 'orders-sync', status: 'failed' });
    expect(core.errors[0]).toMatchObject({ step: 'extract-orders', code: 'E_CONNECTION_FAILED' });
    expect(first.stdout).toBe(
      await readFile(join(project.dir, '.osiris', 'aiop', failedId, 'aiop.json'), 'utf8'),
    );

    const card = await cli(failedId, '--format', 'md');
    expect(card.code).toBe(0);
    expect(card.stdout).toContain('# Run card: orders-sync — failed');
    expect(card.stdout).toContain('`osiris connections doctor @mysql.prod`');
  });

  it('--last, --out and --no-samples; a bad format or bound is a usage error', async () => {
    const out = join(project.dir, 'exported.json');
    const written = await cli('--last', '--out', out, '--no-samples');
    expect(written.code).toBe(0);
    expect(written.stdout.trim()).toBe(out);
    const core = JSON.parse(await readFile(out, 'utf8'));
    expect(core.run.run_id).toBe(secretId);
    expect(core.privacy.samples).toBe(false);
    const text = await readFile(out, 'utf8');
    expect(text).not.toContain(PLANTED_PASSWORD);
    expect(text).not.toContain(PLANTED_API_KEY);

    expect((await cli('--last', '--format', 'html')).code).toBe(2);
    expect((await cli('--last', '--max-core-bytes', '100')).code).toBe(2);
  });

  it('list shows the packages; prune --keep removes the older ones', async () => {
    const listed = await cli('list', '--json');
    expect(listed.code).toBe(0);
    const ids = JSON.parse(listed.stdout).packages.map((entry: { run_id: string }) => entry.run_id);
    expect(ids).toEqual([secretId, failedId]);
    const pruned = await cli('prune', '--keep', '1', '--json');
    expect(JSON.parse(pruned.stdout)).toMatchObject({ ok: true, removed: [failedId], kept: 1 });
    const after = await cli('list');
    expect(after.stdout).toContain(secretId);
    expect(after.stdout).not.toContain(failedId);
  });
});
