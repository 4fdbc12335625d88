import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRedaction } from '../../src/composition/project-redaction.js';
import {
  type AiopCore,
  diagnoseCause,
  exportAiop,
  listAiopPackages,
  pruneAiopPackages,
} from '../../src/observability/aiop/index.js';
import { writeReports } from '../../src/report/write-reports.js';
import { createFixtureRun } from '../fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../fixtures/runs/fixture-project.js';
import {
  FIXTURE_ENV,
  failedRun,
  PLANTED_API_KEY,
  PLANTED_PASSWORD,
  secretRun,
  successRun,
} from '../fixtures/runs/scenarios.js';
import { listFiles } from '../support/project.js';

const EVIDENCE_ID = /^ev\.(event|metric)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.\d+(-\d+)?$/;

let project: Awaited<ReturnType<typeof createFixtureProject>> | undefined;
afterEach(async () => {
  await project?.remove();
  project = undefined;
});

async function exportRun(runId: string, options: { samples?: boolean; maxCoreBytes?: number } = {}) {
  const dir = project!.dir;
  return exportAiop({
    projectDir: dir,
    redaction: projectRedaction(dir, FIXTURE_ENV),
    selector: { runId },
    ...options,
  });
}

describe('osiris logs aiop (library)', () => {
  it('is deterministic: the same run exported twice gives the same bytes (core, card, annex)', async () => {
    project = await createFixtureProject();
    const run = await createFixtureRun(project.dir, failedRun(at(0)));
    const first = await exportRun(run.run_id);
    const files = async () =>
      Object.fromEntries(
        await Promise.all(
          (await listFiles(first.dir)).map(async (file) => [file, await readFile(file, 'utf8')] as const),
        ),
      );
    const before = await files();
    const second = await exportRun(run.run_id);
    expect(second.package.json).toBe(first.package.json);
    expect(second.package.markdown).toBe(first.package.markdown);
    expect(await files()).toEqual(before);
    expect(
      Object.keys(before)
        .map((file) => file.slice(first.dir.length + 1))
        .sort(),
    ).toEqual(['aiop.json', 'annex/evidence.ndjson', 'annex/steps.ndjson', 'run-card.md']);
    // No machine-specific path in the package.
    expect(first.package.json).not.toContain(project.dir);
  });

  it('names the failing step, its code and hint, cites evidence, and says the cause is outside the pipeline', async () => {
    project = await createFixtureProject();
    const run = await createFixtureRun(project.dir, failedRun(at(0)));
    const { core } = (await exportRun(run.run_id)).package;
    expect(core.errors).toHaveLength(1);
    const [error] = core.errors;
    expect(error).toMatchObject({
      step: 'extract-orders',
      component: 'mysql.extractor',
      code: 'E_CONNECTION_FAILED',
      cause: { location: 'environment', next_command: 'osiris connections doctor @mysql.prod' },
    });
    expect(error?.evidence[0]).toMatch(/^ev\.event\.extract-orders\.step_failed\.\d+$/);
    const ids = new Set(core.evidence.map((item) => item.id));
    for (const id of ids) expect(id).toMatch(EVIDENCE_ID);
    // Every id the narrative cites exists in the evidence.
    for (const sentence of core.narrative)
      for (const cite of sentence.cites) expect(ids.has(cite)).toBe(true);
    expect(core.narrative.map((sentence) => sentence.text).join(' ')).toContain('extract-orders');
    expect(core.dag.steps.map((step) => [step.id, step.status])).toEqual([
      ['extract-orders', 'failed'],
      ['clean-orders', 'skipped'],
      ['load-warehouse', 'skipped'],
    ]);
    expect(core.dag.edges).toEqual([
      { from: 'extract-orders', to: 'clean-orders' },
      { from: 'clean-orders', to: 'load-warehouse' },
    ]);
    expect(core.delta.previous_run_id).toBeNull();
  });

  it('stays under the core size bound with 10,000 step events, with truncation markers and a full annex', async () => {
    project = await createFixtureProject();
    const base = successRun(at(0));
    const extraEvents = Array.from({ length: 10_000 }, (_, n) => ({
      offsetMs: 10 + (n % 400),
      name: 'step_progress' as const,
      fields: { step_id: 'extract-movies', rows: n * 100, note: `batch ${n} of the movies table read` },
    }));
    const run = await createFixtureRun(project.dir, { ...base, extraEvents });
    const exported = await exportRun(run.run_id);
    const { core, json, annex } = exported.package;
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(300_000);
    expect(Buffer.byteLength(await readFile(join(exported.dir, 'aiop.json')))).toBeLessThanOrEqual(300_000);
    const marker = core.truncated.find((cut) => cut.section === 'evidence');
    expect(marker).toMatchObject({ annex: 'annex/evidence.ndjson' });
    expect(marker!.total).toBeGreaterThan(10_000);
    expect(marker!.kept).toBeLessThan(marker!.total);
    // The important facts stayed; the annex holds every one.
    const names = new Set(core.evidence.map((item) => item.name));
    for (const name of ['run_start', 'run_complete', 'step_complete']) expect(names.has(name)).toBe(true);
    expect(annex.get('annex/evidence.ndjson')!.trim().split('\n')).toHaveLength(marker!.total);
    expect(exported.package.markdown).toContain('## Truncated');
    // A smaller bound cuts deeper and still holds.
    const small = await exportRun(run.run_id, { maxCoreBytes: 20_000 });
    expect(Buffer.byteLength(small.package.json)).toBeLessThanOrEqual(20_000);
    expect(small.package.core.run.run_id).toBe(run.run_id);
  });

  it('contains no planted secret in the JSON, the run card or the annex', async () => {
    project = await createFixtureProject();
    const run = await createFixtureRun(project.dir, secretRun(at(0)));
    const exported = await exportRun(run.run_id);
    const texts = [exported.package.json, exported.package.markdown, ...exported.package.annex.values()];
    for (const file of await listFiles(exported.dir)) texts.push(await readFile(file, 'utf8'));
    expect(texts).toHaveLength(8);
    for (const text of texts) {
      expect(text).not.toContain(PLANTED_PASSWORD);
      expect(text).not.toContain(PLANTED_API_KEY);
    }
    expect(exported.package.json).toContain('***');
  });

  it('computes the delta against the previous successful run of the same pipeline', async () => {
    project = await createFixtureProject();
    const earlier = successRun(at(0));
    await createFixtureRun(project.dir, failedRun(at(1)));
    const first = await createFixtureRun(project.dir, earlier);
    const later = successRun(at(2));
    for (const step of later.steps)
      if (step.rows !== undefined) step.rows = step.id === 'extract-movies' ? 13_000 : 150;
    const extract = later.steps.find((step) => step.id === 'extract-movies')!;
    extract.durationMs = 600;
    const second = await createFixtureRun(project.dir, later);
    const { core } = (await exportRun(second.run_id)).package;
    expect(core.delta.previous_run_id).toBe(first.run_id);
    expect(core.delta.rows).toEqual({ previous: 120, current: 150, change: 30 });
    const steps = Object.fromEntries((core.delta.steps ?? []).map((step) => [step.id, step]));
    expect(steps['extract-movies']?.rows).toEqual({ previous: 12_480, current: 13_000, change: 520 });
    expect(steps['extract-movies']?.duration_ms).toEqual({ previous: 420, current: 600, change: 180 });
    expect(steps['write-csv']?.rows).toEqual({ previous: 120, current: 150, change: 30 });
    expect(core.narrative.at(-1)?.text).toContain('rows 120 → 150 (+30)');
    // The first run has nothing to compare with.
    const { core: firstCore } = (await exportRun(first.run_id)).package;
    expect(firstCore.delta.previous_run_id).toBeNull();
  });

  it('--no-samples keeps row samples out of the core and the annex', async () => {
    project = await createFixtureProject();
    const withSample = successRun(at(0));
    withSample.steps[0]!.artifacts = [
      {
        name: 'sample.json',
        content: JSON.stringify({ columns: ['title'], rows: [{ title: 'Heat-sample-row' }] }),
      },
      {
        name: 'schema.json',
        content: JSON.stringify({ columns: [{ name: 'title', type: 'VARCHAR' }], rows: 1 }),
      },
    ];
    const run = await createFixtureRun(project.dir, withSample);
    const shown = await exportRun(run.run_id);
    expect(shown.package.json).toContain('Heat-sample-row');
    expect((shown.package.core as AiopCore).dag.steps[0]?.schema?.columns[0]?.name).toBe('title');
    const hidden = await exportRun(run.run_id, { samples: false });
    const texts = [hidden.package.json, hidden.package.markdown, ...hidden.package.annex.values()];
    for (const text of texts) expect(text).not.toContain('Heat-sample-row');
    expect(hidden.package.core.privacy.samples).toBe(false);
  });

  it('lists packages and prunes those whose run is gone or beyond --keep', async () => {
    project = await createFixtureProject();
    const one = await createFixtureRun(project.dir, successRun(at(0)));
    const two = await createFixtureRun(project.dir, successRun(at(1)));
    await exportRun(one.run_id);
    await exportRun(two.run_id);
    const listed = await listAiopPackages(project.dir);
    expect(listed.map((entry) => entry.run_id)).toEqual([two.run_id, one.run_id]);
    expect(listed[0]).toMatchObject({ pipeline: 'movies-top-rated', status: 'success', run_exists: true });
    const dry = await pruneAiopPackages(project.dir, { keep: 1, dryRun: true });
    expect(dry.removed.map((entry) => entry.run_id)).toEqual([one.run_id]);
    expect(await listAiopPackages(project.dir)).toHaveLength(2);
    await pruneAiopPackages(project.dir, { keep: 1 });
    expect((await listAiopPackages(project.dir)).map((entry) => entry.run_id)).toEqual([two.run_id]);
  });

  it('the HTML report links to the run card and the AIOP file, which exist', async () => {
    project = await createFixtureProject();
    const run = await createFixtureRun(project.dir, failedRun(at(0)));
    const written = await writeReports({
      projectDir: project.dir,
      redaction: projectRedaction(project.dir, FIXTURE_ENV),
      selector: { runId: run.run_id },
    });
    const page = await readFile(written.reports[0]!.path, 'utf8');
    const card = `../aiop/${run.run_id}/run-card.md`;
    const json = `../aiop/${run.run_id}/aiop.json`;
    expect(page).toContain(`href="${card}"`);
    expect(page).toContain(`href="${json}"`);
    const reportsDir = join(project.dir, '.osiris', 'reports');
    expect(await readFile(join(reportsDir, card), 'utf8')).toContain('# Run card: orders-sync');
    expect(JSON.parse(await readFile(join(reportsDir, json), 'utf8')).run.run_id).toBe(run.run_id);
  });

  it('includes checks and incremental windows when the run has them, each citing its evidence', async () => {
    project = await createFixtureProject();
    const run = successRun(at(0));
    run.extraEvents = [
      {
        offsetMs: 20,
        name: 'state_loaded',
        fields: {
          step_id: 'extract-movies',
          cursor: 'updated_at',
          from: '2025-02-28T00:00:00Z',
          source: 'state',
        },
      },
      {
        offsetMs: 300,
        // Check events come from issue 15; the package takes any check_* event as it is.
        name: 'check_failed' as 'warning',
        fields: { step_id: 'top-rated', name: 'not_null(title)', failing_rows: 3 },
      },
    ];
    const status = await createFixtureRun(project.dir, run);
    const { core, markdown } = (await exportRun(status.run_id)).package;
    expect(core.incremental).toEqual([
      {
        step: 'extract-movies',
        event: 'state_loaded',
        cursor: 'updated_at',
        from: '2025-02-28T00:00:00Z',
        source: 'state',
        evidence: 'ev.event.extract-movies.state_loaded.20',
      },
    ]);
    expect(core.checks).toEqual([
      {
        step: 'top-rated',
        status: 'failed',
        name: 'not_null(title)',
        failing_rows: 3,
        evidence: 'ev.event.top-rated.check_failed.300',
      },
    ]);
    expect(core.narrative.map((sentence) => sentence.text)).toContain(
      '1 data check(s) ran; 1 failed: top-rated/not_null(title).',
    );
    expect(markdown).toContain('## Checks');
    expect(markdown).toContain('## Incremental windows');
  });

  it('tells a pipeline cause from an environment cause', () => {
    expect(
      diagnoseCause(
        'E_QUERY_FAILED',
        "@mysql.shop: query failed: Unknown column 'amount' in 'field list'",
        '@mysql.shop',
      ),
    ).toMatchObject({ location: 'pipeline' });
    expect(
      diagnoseCause('E_CONNECTION_FAILED', 'connect ECONNREFUSED 127.0.0.1:3306', '@mysql.shop'),
    ).toEqual({
      location: 'environment',
      reason: 'the server could not be reached or stopped answering',
      next_command: 'osiris connections doctor @mysql.shop',
    });
    expect(diagnoseCause('E_AUTH_FAILED', 'password authentication failed', '@postgres.dwh')).toMatchObject({
      location: 'environment',
      next_command: 'osiris connections doctor @postgres.dwh',
    });
    expect(diagnoseCause('E_CANCELLED', 'The run was cancelled.', undefined).location).toBe('interrupted');
  });
});
