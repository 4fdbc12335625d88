import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureRun } from '../../../test/fixtures/runs/create-fixture-run.js';
import { at, createFixtureProject } from '../../../test/fixtures/runs/fixture-project.js';
import {
  FIXTURE_ENV,
  failedRun,
  multiBranchRun,
  PLANTED_API_KEY,
  PLANTED_PASSWORD,
  secretRun,
  successRun,
} from '../../../test/fixtures/runs/scenarios.js';
import { projectRedaction } from '../../composition/project-redaction.js';
import { findRun } from './find-run.js';
import { loadRunDetails } from './load-run-details.js';

describe('loadRunDetails', () => {
  let project: Awaited<ReturnType<typeof createFixtureProject>>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    project = await createFixtureProject();
    ids.success = (await createFixtureRun(project.dir, successRun(at(0)))).run_id;
    ids.failed = (await createFixtureRun(project.dir, failedRun(at(1)))).run_id;
    ids.branches = (await createFixtureRun(project.dir, multiBranchRun(at(2)))).run_id;
    ids.secret = (await createFixtureRun(project.dir, secretRun(at(3)))).run_id;
  });
  afterAll(() => project.remove());

  const load = async (runId: string) =>
    loadRunDetails(await findRun(project.dir, { runId }), projectRedaction(project.dir, FIXTURE_ENV));

  it('reads a successful run: steps in plan order with rows, metrics, config and artifacts', async () => {
    const run = await load(ids.success!);
    expect(run).toMatchObject({
      pipeline: 'movies-top-rated',
      status: 'success',
      adapter: 'local',
      totalRows: 120,
      problems: [],
    });
    expect(run.levels).toEqual([['extract-movies'], ['top-rated'], ['write-csv']]);
    expect(run.steps.map((step) => [step.id, step.status, step.rows])).toEqual([
      ['extract-movies', 'success', 12_480],
      ['top-rated', 'success', 120],
      ['write-csv', 'success', 120],
    ]);
    const writer = run.steps[2]!;
    expect(writer).toMatchObject({
      rowsRead: 120,
      rowsWritten: 120,
      durationMs: 95,
      mode: 'write',
      needs: ['top-rated'],
    });
    expect(writer.artifacts).toEqual([{ path: 'artifacts/write-csv/top_rated.csv', bytes: 34 }]);
    expect(writer.config).toMatchObject({ path: 'output/top_rated.csv' });
    expect(run.fingerprints?.manifest_fp).toMatch(/^sha256:/);
    expect(run.peakRssBytes).toBeGreaterThan(0);
  });

  it('reads a failed run: the error with its hint and the failing step, downstream steps skipped', async () => {
    const run = await load(ids.failed!);
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({
      code: 'E_CONNECTION_FAILED',
      stepId: 'extract-orders',
      hint: expect.stringContaining('connections doctor'),
    });
    expect(run.steps.map((step) => step.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(run.steps[1]?.skipped).toEqual({ reason: 'upstream_failed', upstream: 'extract-orders' });
    expect(run.steps[0]?.connection).toBe('@mysql.prod');
  });

  it('derives levels of a branching run and keeps each branch outcome', async () => {
    const run = await load(ids.branches!);
    expect(run.levels).toEqual([
      ['customers', 'orders', 'refunds'],
      ['join-customer-orders'],
      ['net-revenue', 'write-parquet', 'write-json'],
    ]);
    expect(run.steps.find((step) => step.id === 'net-revenue')?.status).toBe('skipped');
    expect(run.steps.find((step) => step.id === 'write-json')?.status).toBe('success');
    expect(run.steps.find((step) => step.id === 'join-customer-orders')?.warnings).toHaveLength(1);
  });

  it('masks secrets the session writer let through: by field name, by known value, in URLs', async () => {
    const run = await load(ids.secret!);
    const text = JSON.stringify(run);
    expect(text).not.toContain(PLANTED_PASSWORD);
    expect(text).not.toContain(PLANTED_API_KEY);
    expect(run.steps[0]?.config).toMatchObject({ password: '***', connection: '@mysql.prod' });
    expect(run.steps[1]?.config).toMatchObject({ service_role_key: '***' });
    expect(run.error?.message).toBe('Supabase rejected key *** for user etl/***');
  });

  it('reports damaged sessions as problems instead of failing', async () => {
    const found = await findRun(project.dir, { runId: ids.success! });
    await appendFile(join(found.sessionDir, 'events.jsonl'), '{"ts": "2025-03-01T09:00:0');
    await rm(join(found.sessionDir, 'status.json'));
    const run = await load(ids.success!);
    expect(run.problems).toEqual([
      expect.stringContaining('status.json is missing'),
      expect.stringContaining('events.jsonl: 1 line(s) could not be read'),
    ]);
    expect(run.status).toBe('success');
    expect(run.steps.every((step) => step.status === 'success')).toBe(true);
  });

  it('says which run is unknown and where to look', async () => {
    await expect(findRun(project.dir, { runId: 'run_nope' })).rejects.toMatchObject({
      code: 'E_RUN_NOT_FOUND',
      hint: expect.stringContaining('osiris logs list'),
    });
  });
});
