import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRun } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import { readZip } from '../fixtures/runs/read-zip.js';
import { runCli } from '../fixtures/runs/run-cli.js';
import {
  FIXTURE_ENV,
  PLANTED_API_KEY,
  PLANTED_PASSWORD,
  secretRun,
  successRun,
} from '../fixtures/runs/scenarios.js';

const ENV = {
  ...FIXTURE_ENV,
  DISPLAY: undefined,
  WAYLAND_DISPLAY: undefined,
  BROWSER: undefined,
  OSIRIS_HOME: undefined,
};
const PLANTED = [PLANTED_PASSWORD, PLANTED_API_KEY];

/**
 * The session of `secretRun` holds secrets its writer did not know about (config, messages,
 * an artifact, a connection URL). Every way of looking at it must show them masked.
 */
describe('no planted secret leaves through logs output, reports or bundles', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  let runId = '';
  const outputs: Array<{ what: string; text: string }> = [];

  beforeAll(async () => {
    project = await createFixtureProject();
    await createFixtureRun(project.dir, successRun(at(0)));
    runId = (await createFixtureRun(project.dir, secretRun(at(1)))).run_id;
    const bundlePath = join(project.dir, 'secret.zip');
    for (const args of [
      ['list'],
      ['list', '--json'],
      ['show', runId],
      ['show', runId, '--events'],
      ['show', runId, '--json'],
      ['html'],
      ['html', runId, '--json'],
      ['bundle', runId, '-o', bundlePath],
    ]) {
      const result = await runCli(['logs', ...args], { cwd: project.dir, env: ENV });
      expect(result.code, `osiris logs ${args.join(' ')}: ${result.stderr}`).toBe(0);
      outputs.push({ what: `stdout of logs ${args.join(' ')}`, text: result.stdout });
      outputs.push({ what: `stderr of logs ${args.join(' ')}`, text: result.stderr });
    }
    const reports = join(project.dir, '.osiris', 'reports');
    for (const name of await readdir(reports)) {
      outputs.push({ what: `reports/${name}`, text: await readFile(join(reports, name), 'utf8') });
    }
    for (const entry of readZip(bundlePath))
      outputs.push({ what: `bundle:${entry.name}`, text: entry.data.toString('latin1') });
  });
  afterAll(() => project.remove());

  it('the session on disk really holds the planted secrets (so the scan proves something)', async () => {
    const session = join(project.dir, '.osiris', 'runs', runId);
    const events = await readFile(join(session, 'events.jsonl'), 'utf8');
    const config = await readFile(join(session, 'cfg', 'extract-users.json'), 'utf8');
    const artifact = await readFile(join(session, 'artifacts', 'extract-users', 'debug.log'), 'utf8');
    expect(events).toContain(PLANTED_PASSWORD);
    expect(events).toContain(PLANTED_API_KEY);
    expect(config).toContain(PLANTED_PASSWORD);
    expect(artifact).toContain(PLANTED_API_KEY);
  });

  it('scans every output, report and bundle entry', () => {
    expect(outputs.filter((output) => output.what.startsWith('reports/'))).toHaveLength(3);
    expect(outputs.filter((output) => output.what.startsWith('bundle:'))).toHaveLength(8);
    for (const output of outputs) {
      for (const secret of PLANTED) {
        expect(output.text.includes(secret), `${output.what} contains a planted secret`).toBe(false);
      }
    }
  });

  it('masks in place: *** where the secret was, the rest of the file intact', () => {
    const bundled = (suffix: string) =>
      outputs.find((output) => output.what === `bundle:${runId}/${suffix}`)?.text ?? '';
    expect(JSON.parse(bundled('cfg/extract-users.json'))).toEqual({
      connection: '@mysql.prod',
      table: 'users',
      password: '***',
    });
    expect(bundled('artifacts/extract-users/debug.log')).toBe('connecting as etl with ***\nkey=***\n');
    expect(bundled('events.jsonl')).toContain('retrying mysql://etl:***@db.internal/shop');
    const report = outputs.find((output) => output.what === `reports/${runId}.html`)?.text ?? '';
    expect(report).toContain('Supabase rejected key *** for user etl/***');
  });
});
