import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { quotedString } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { createTestStepContext } from '../../runtime/testing/step-context.js';
import type { Driver } from '../../spec/driver.js';
import { isOsirisError } from '../../spec/errors.js';
import { driver as csvWriter } from './csv-writer.driver.js';
import { driver as jsonWriter } from './json-writer.driver.js';
import { driver as parquetWriter } from './parquet-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
});

afterEach(async () => {
  await harness.close();
});

async function rowsOf(sql: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const chunk of harness.dataPlane.readChunks(sql)) rows.push(...chunk.rows);
  return rows;
}

/** One incremental run: this run's changed rows in `df_changes`, written by `driver` as run `runId`. */
async function run(driver: Driver, runId: string, first: number, config: Record<string, unknown>) {
  await harness.dataPlane.run(`CREATE OR REPLACE TABLE df_changes AS
    SELECT range AS id, (range * 1.25)::DECIMAL(18,2) AS amount, CASE WHEN range % 2 = 0 THEN 'DE' ELSE 'FR' END AS country
    FROM range(${first}, ${first + 1000})`);
  const ctx = createTestStepContext({
    projectDir: harness.projectDir,
    stepId: 'write-orders',
    dataPlane: harness.dataPlane,
    runId,
  });
  return driver.run({
    stepId: 'write-orders',
    config: { ...config },
    inputs: [{ stepId: 'changes', table: 'df_changes' }],
    ctx,
  });
}

const expectedUnion = 'SELECT range AS id, (range * 1.25)::DECIMAL(18,2) AS amount FROM range(3000)';

describe('file writers: write_mode append (issue 12)', () => {
  it('three incremental runs to Parquet give three files that read_parquet(*.parquet) returns together', async () => {
    const config = { path: 'output/orders/{run_id}.parquet', write_mode: 'append' };
    for (const [index, runId] of ['run_a', 'run_b', 'run_c'].entries()) {
      expect(await run(parquetWriter, runId, index * 1000, config)).toEqual({ rows: 1000 });
    }
    const folder = join(harness.projectDir, 'output', 'orders');
    expect((await readdir(folder)).sort()).toEqual(['run_a.parquet', 'run_b.parquet', 'run_c.parquet']);
    const glob = quotedString(join(folder, '*.parquet'));
    const difference = await rowsOf(
      `SELECT count(*) FROM ((SELECT id, amount FROM read_parquet(${glob}) EXCEPT ALL ${expectedUnion})
       UNION ALL (${expectedUnion} EXCEPT ALL SELECT id, amount FROM read_parquet(${glob})))`,
    );
    expect(difference).toEqual([[0n]]);
  });

  it('partition_by writes Hive-style folders, one new file per partition per run', async () => {
    const config = { path: 'output/parts', write_mode: 'append', partition_by: ['country'] };
    await run(parquetWriter, 'run_a', 0, config);
    await run(parquetWriter, 'run_b', 1000, config);
    await run(parquetWriter, 'run_c', 2000, config);
    const folder = join(harness.projectDir, 'output', 'parts');
    expect((await readdir(folder)).sort()).toEqual(['country=DE', 'country=FR']);
    expect((await readdir(join(folder, 'country=DE'))).sort()).toEqual([
      'run_a_0.parquet',
      'run_b_0.parquet',
      'run_c_0.parquet',
    ]);
    const glob = quotedString(join(folder, '*', '*.parquet'));
    expect(
      await rowsOf(
        `SELECT count(*), count(DISTINCT id), sum(CASE WHEN country = 'DE' THEN 1 ELSE 0 END) FROM read_parquet(${glob}, hive_partitioning = true)`,
      ),
    ).toEqual([[3000n, 3000n, 1500n]]);
    // No temp folder is left behind.
    expect((await readdir(folder)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('CSV and JSON append a file per run too', async () => {
    await run(csvWriter, 'run_a', 0, { path: 'output/csv/{run_id}.csv', write_mode: 'append' });
    await run(csvWriter, 'run_b', 1000, { path: 'output/csv/{run_id}.csv', write_mode: 'append' });
    await run(jsonWriter, 'run_a', 0, { path: 'output/json/{run_id}.jsonl', write_mode: 'append' });
    const csv = quotedString(join(harness.projectDir, 'output', 'csv', '*.csv'));
    expect(await rowsOf(`SELECT count(*), count(DISTINCT id) FROM read_csv(${csv})`)).toEqual([
      [2000n, 2000n],
    ]);
    expect(await readdir(join(harness.projectDir, 'output', 'json'))).toEqual(['run_a.jsonl']);
  });

  it('refuses to rewrite an earlier file, and an append path without {run_id}', async () => {
    const config = { path: 'output/orders/{run_id}.parquet', write_mode: 'append' };
    await run(parquetWriter, 'run_a', 0, config);
    const again = await run(parquetWriter, 'run_a', 1000, config).catch((error: unknown) => error);
    expect(isOsirisError(again) && again.code).toBe('E_WRITE_FAILED');
    expect(String((again as Error).message)).toContain('already exists');
    const fixed = await run(parquetWriter, 'run_b', 0, {
      path: 'output/orders.parquet',
      write_mode: 'append',
    }).catch((error: unknown) => error);
    expect(isOsirisError(fixed) && fixed.code).toBe('E_USAGE');
    expect(String((fixed as Error).message)).toContain('{run_id}');
    // The first run's file is intact.
    const file = quotedString(join(harness.projectDir, 'output', 'orders', 'run_a.parquet'));
    expect(await rowsOf(`SELECT count(*), min(id), max(id) FROM read_parquet(${file})`)).toEqual([
      [1000n, 0n, 999n],
    ]);
  });
});
