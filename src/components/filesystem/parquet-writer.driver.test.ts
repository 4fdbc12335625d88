import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quotedString } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './parquet-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await harness.dataPlane.run(`
    CREATE TABLE df_facts AS SELECT range AS id, (range * 1.25)::DECIMAL(18,2) AS amount,
      'row ' || range AS label, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(range) AS "at"
    FROM range(5000)`);
});

afterEach(async () => {
  await harness.close();
});

async function rowsOf(sql: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const chunk of harness.dataPlane.readChunks(sql)) rows.push(...chunk.rows);
  return rows;
}

describe('filesystem.parquet_writer', () => {
  it('writes every row and type, with the chosen compression and row groups', async () => {
    const { result, ctx } = await harness.run(driver, {
      stepId: 'facts-parquet',
      needs: ['facts'],
      config: { path: 'out/facts.parquet', compression: 'zstd', row_group_size: 2048 },
    });
    expect(result).toEqual({ rows: 5000 });
    const file = quotedString(join(harness.projectDir, 'out', 'facts.parquet'));
    expect(await rowsOf(`SELECT * FROM read_parquet(${file})`)).toEqual(await rowsOf('df_facts'));
    expect(await rowsOf(`SELECT typeof(amount), typeof("at") FROM read_parquet(${file}) LIMIT 1`)).toEqual([
      ['DECIMAL(18,2)', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    expect(await rowsOf(`SELECT DISTINCT compression FROM parquet_metadata(${file})`)).toEqual([['ZSTD']]);
    const [[rowGroups]] = (await rowsOf(
      `SELECT count(DISTINCT row_group_id) FROM parquet_metadata(${file})`,
    )) as [[bigint]];
    expect(rowGroups).toBeGreaterThan(1n);
    const bytes = (await readFile(join(harness.projectDir, 'out', 'facts.parquet'))).length;
    expect(ctx.recorded.metrics).toEqual([{ name: 'bytes_written', value: bytes, unit: 'bytes' }]);
  });

  it('writes intervals as exact text, negative and microsecond ones included', async () => {
    await harness.dataPlane.run(`
      CREATE TABLE df_spans AS SELECT * FROM (VALUES
        (1, -(INTERVAL '838 hours 59 minutes 59 seconds'), [INTERVAL '-3 days' + INTERVAL '04:05:06']),
        (2, INTERVAL '10 months 3 days' - INTERVAL '04:05:06.789012', []),
        (3, NULL, NULL)
      ) v(id, span, spans)`);
    await harness.run(driver, { stepId: 'spans', needs: ['spans'], config: { path: 'out/spans.parquet' } });
    const file = quotedString(join(harness.projectDir, 'out', 'spans.parquet'));
    expect(
      await rowsOf(
        `SELECT p.id, p.span, typeof(p.span), typeof(p.spans), CAST(p.span AS INTERVAL) IS NOT DISTINCT FROM s.span,
           CAST(p.spans AS INTERVAL[]) IS NOT DISTINCT FROM s.spans
         FROM read_parquet(${file}) p JOIN df_spans s USING (id) ORDER BY id`,
      ),
    ).toEqual([
      [1, '-838:59:59', 'VARCHAR', 'VARCHAR[]', true, true],
      [2, '10 months 3 days -04:05:06.789012', 'VARCHAR', 'VARCHAR[]', true, true],
      [3, null, 'VARCHAR', 'VARCHAR[]', true, true],
    ]);
  });

  it('names the column when a nested interval cannot be stored', async () => {
    await harness.dataPlane.run(`CREATE TABLE df_nested AS SELECT {'span': -INTERVAL '1 hour'} AS wrapped`);
    await expect(
      harness.run(driver, { stepId: 'nested', needs: ['nested'], config: { path: 'out/nested.parquet' } }),
    ).rejects.toMatchObject({
      code: 'E_WRITE_FAILED',
      message: expect.stringContaining('column "wrapped" (STRUCT(span INTERVAL))'),
    });
  });

  it('writes identical bytes on every run', async () => {
    for (const path of ['out/a.parquet', 'out/b.parquet']) {
      await harness.run(driver, {
        stepId: 'same',
        needs: ['facts'],
        config: { path, compression: 'snappy', row_group_size: 122_880 },
      });
    }
    const [first, second] = await Promise.all(
      ['a', 'b'].map((name) => readFile(join(harness.projectDir, 'out', `${name}.parquet`))),
    );
    expect(first).toEqual(second);
  });
});
