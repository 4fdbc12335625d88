import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../../spec/checks.js';
import { createDataPlane, type RunDataPlane } from '../data-plane/index.js';
import type { EngineSink } from '../engine-types.js';
import { runChecks } from './run-checks.js';

let directory: string;
let dataPlane: RunDataPlane;
const events: Array<{ name: string; fields: Record<string, unknown> }> = [];
const metrics: Array<{ name: string; value: number; tags?: Record<string, string> }> = [];
const sink: EngineSink = {
  event: (name, fields = {}) => events.push({ name, fields }),
  metric: (name, value, _unit, _step, tags) => metrics.push({ name, value, ...(tags ? { tags } : {}) }),
};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'osiris-checks-'));
  dataPlane = await createDataPlane({ directory, threads: 2 });
  await dataPlane.run(`CREATE TABLE df_orders AS SELECT * FROM (VALUES
    (1, 10, 'paid', 12.5, TIMESTAMP '2020-01-01 00:00:00', 'pw-one'),
    (2, 10, 'new', 7.0, TIMESTAMP '2020-01-02 00:00:00', 'pw-two'),
    (2, 11, 'cancelled', -3.0, TIMESTAMP '2020-01-03 00:00:00', 'pw-three'),
    (3, NULL, 'paid', 100.0, TIMESTAMP '2020-01-04 00:00:00', 'pw-four'),
    (4, 99, 'shipped', 1.0, TIMESTAMP '2020-01-05 00:00:00', 'pw-five')
  ) AS t(id, customer_id, status, amount, updated_at, password)`);
  await dataPlane.run(`CREATE TABLE df_customers AS SELECT * FROM (VALUES (10), (11), (12)) AS t(id)`);
  await dataPlane.run('CREATE TABLE df_empty (id INTEGER)');
  await dataPlane.run(
    `CREATE TABLE df_fresh AS SELECT now()::TIMESTAMPTZ - INTERVAL 1 HOUR AS updated_at, 1 AS id`,
  );
});

afterAll(async () => {
  await dataPlane.close();
  await rm(directory, { recursive: true, force: true });
});

async function check(
  definition: Partial<CheckDefinition> & Pick<CheckDefinition, 'type'>,
  table = 'df_orders',
) {
  const full = { name: definition.type, severity: 'error', ...definition } as CheckDefinition;
  const [result] = await runChecks({
    dataPlane,
    stepId: 'orders',
    table,
    checks: [full],
    references: new Map([['customers', 'df_customers']]),
    sink,
    redact: (value) => value,
  });
  return result!;
}

describe('data checks in the data plane', () => {
  it('row_count: min, max, and within a percent of the last successful run', async () => {
    expect((await check({ type: 'row_count', min: 1 })).passed).toBe(true);
    const empty = await check({ type: 'row_count', min: 1 }, 'df_empty');
    expect(empty).toMatchObject({ passed: false, observed: '0 rows: fewer than the minimum 1' });
    expect((await check({ type: 'row_count', max: 4 })).passed).toBe(false);
    expect((await check({ type: 'row_count', within_percent: 10, baseline_rows: 5 })).passed).toBe(true);
    const drop = await check({ type: 'row_count', within_percent: 10, baseline_rows: 10 });
    expect(drop.passed).toBe(false);
    expect(drop.observed).toContain("-50.0% against the last successful run's 10");
    const first = await check({ type: 'row_count', within_percent: 10 });
    expect(first).toMatchObject({ passed: true });
    expect(first.observed).toContain('no earlier successful run');
  });

  it('not_null counts NULLs per column and keeps the offending rows', async () => {
    expect((await check({ type: 'not_null', columns: ['id'] })).passed).toBe(true);
    const result = await check({ type: 'not_null', columns: ['id', 'customer_id'] });
    expect(result).toMatchObject({ passed: false, observed: '1 NULL in customer_id', failing_rows: 1 });
    expect(result.sample?.rows).toEqual([expect.objectContaining({ id: 3, customer_id: null })]);
  });

  it('unique names the duplicate keys (first ones) and their rows', async () => {
    expect((await check({ type: 'unique', column_sets: [['customer_id', 'id']] })).passed).toBe(true);
    const result = await check({ type: 'unique', column_sets: [['id']] });
    expect(result).toMatchObject({
      passed: false,
      observed: '1 duplicate id value; first: 2',
      failing_rows: 2,
    });
    expect(result.sample?.rows.map((row) => row.id)).toEqual([2, 2]);
    const composite = await check({ type: 'unique', column_sets: [['customer_id'], ['id', 'status']] });
    expect(composite.observed).toBe('1 duplicate customer_id value; first: 10');
  });

  it('accepted_values, range and relationship report what is outside', async () => {
    const values = await check({
      type: 'accepted_values',
      column: 'status',
      values: ['new', 'paid', 'shipped'],
    });
    expect(values.observed).toBe(
      "1 row (1 value) where status is not one of 'new', 'paid', 'shipped'; first: 'cancelled'",
    );
    expect((await check({ type: 'accepted_values', column: 'id', values: [1, 2, 3, 4] })).passed).toBe(true);
    const range = await check({ type: 'range', column: 'amount', min: 0 });
    expect(range).toMatchObject({ passed: false, failing_rows: 1 });
    expect(range.observed).toContain('first: -3');
    expect((await check({ type: 'range', column: 'updated_at', min: '2019-12-31' })).passed).toBe(true);
    const orphans = await check({
      type: 'relationship',
      column: 'customer_id',
      to_step: 'customers',
      to_column: 'id',
    });
    expect(orphans).toMatchObject({ passed: false, failing_rows: 1 });
    expect(orphans.observed).toContain('is not in customers.id; first: 99');
  });

  it('freshness compares the newest value with now', async () => {
    const stale = await check({
      type: 'freshness',
      column: 'updated_at',
      max_age: '2d',
      max_age_seconds: 172_800,
    });
    expect(stale.passed).toBe(false);
    expect(stale.observed).toMatch(/^newest updated_at is 2020-01-05 00:00:00, \d+d \d+h old \(max 2d\)$/);
    const fresh = await check(
      { type: 'freshness', column: 'updated_at', max_age: '2h', max_age_seconds: 7200 },
      'df_fresh',
    );
    expect(fresh.passed).toBe(true);
    expect(
      (await check({ type: 'freshness', column: 'id', max_age: '1d', max_age_seconds: 86_400 }, 'df_empty'))
        .passed,
    ).toBe(false);
  });

  it('sql: a boolean result, or offending rows', async () => {
    const ok = await check({ type: 'sql', sql: 'SELECT count(*) = 0 FROM {{ this }} WHERE amount > 1000' });
    expect(ok).toMatchObject({ passed: true, observed: 'the query returned true' });
    const rows = await check({ type: 'sql', sql: 'SELECT id FROM {{this}} WHERE amount < 0' });
    expect(rows).toMatchObject({
      passed: false,
      failing_rows: 1,
      sample: { columns: ['id'], rows: [{ id: 2 }] },
    });
  });

  it('a check that cannot run fails with the database message', async () => {
    const result = await check({ type: 'not_null', columns: ['no_such_column'] });
    expect(result.passed).toBe(false);
    expect(result.observed).toMatch(/^the check could not run: .*no_such_column/);
  });

  it('reports every check as an event and metrics tagged with its name', async () => {
    events.length = 0;
    metrics.length = 0;
    await check({ type: 'unique', column_sets: [['id']], name: 'pk', severity: 'warn' });
    expect(events).toEqual([
      {
        name: 'check_failed',
        fields: expect.objectContaining({
          step_id: 'orders',
          check: 'pk',
          severity: 'warn',
          failing_rows: 2,
        }),
      },
    ]);
    expect(metrics.map((metric) => [metric.name, metric.tags?.check])).toEqual([
      ['check_failing_rows', 'pk'],
      ['check_duration_ms', 'pk'],
    ]);
  });
});
