import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quotedString } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver as processor } from '../duckdb/processor.driver.js';
import { driver as csvExtractor } from './csv-extractor.driver.js';
import { driver as csvWriter } from './csv-writer.driver.js';
import { driver as jsonWriter } from './json-writer.driver.js';
import { driver as parquetWriter } from './parquet-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await mkdir(join(harness.projectDir, 'data'));
  await writeFile(join(harness.projectDir, 'data', 'customers.csv'), 'id,name\n1,Ada\n2,Bob\n3,Zoë\n');
  await writeFile(
    join(harness.projectDir, 'data', 'orders.csv'),
    'order_id,customer_id,amount,placed_at\n10,1,10.50,2024-01-02 03:04:05\n11,1,2.25,2024-01-03 00:00:00\n12,3,7.00,2024-02-29 12:00:00\n',
  );
});

afterEach(async () => {
  await harness.close();
});

describe('a two-branch DAG run by hand', () => {
  it('extracts two files, joins them and writes CSV, Parquet and JSON with every value right', async () => {
    // Level 1: both extractors at once.
    const [customers, orders] = await Promise.all([
      harness.run(csvExtractor, { stepId: 'a', config: { path: 'data/customers.csv' } }),
      harness.run(csvExtractor, {
        stepId: 'b',
        config: {
          path: 'data/orders.csv',
          columns: {
            order_id: 'BIGINT',
            customer_id: 'BIGINT',
            amount: 'DECIMAL(10,2)',
            placed_at: 'TIMESTAMP',
          },
        },
      }),
    ]);
    expect([customers.result, orders.result]).toEqual([
      { table: 'df_a', rows: 3 },
      { table: 'df_b', rows: 3 },
    ]);

    // Level 2: the join.
    const joined = await harness.run(processor, {
      stepId: 'customer-totals',
      needs: ['a', 'b'],
      config: {
        query: `SELECT a.name, count(b.order_id) AS orders, coalesce(sum(b.amount), 0) AS total,
                       max(b.placed_at) AS last_order
                FROM df_a a LEFT JOIN df_b b ON b.customer_id = a.id
                GROUP BY a.name ORDER BY a.name`,
      },
    });
    expect(joined.result).toEqual({ table: 'df_customer_totals', rows: 3 });

    // Level 3: three writers at once.
    const needs = ['customer-totals'];
    const written = await Promise.all([
      harness.run(csvWriter, { stepId: 'to-csv', needs, config: { path: 'out/totals.csv' } }),
      harness.run(parquetWriter, {
        stepId: 'to-parquet',
        needs,
        config: { path: 'out/totals.parquet', compression: 'snappy', row_group_size: 122_880 },
      }),
      harness.run(jsonWriter, {
        stepId: 'to-json',
        needs,
        config: { path: 'out/totals.jsonl', format: 'jsonl' },
      }),
    ]);
    expect(written.map(({ result }) => result.rows)).toEqual([3, 3, 3]);

    expect(await readFile(join(harness.projectDir, 'out', 'totals.csv'), 'utf8')).toBe(
      'name,orders,total,last_order\nAda,2,12.75,2024-01-03 00:00:00\nBob,0,0.00,\nZoë,1,7.00,2024-02-29 12:00:00\n',
    );
    expect(await readFile(join(harness.projectDir, 'out', 'totals.jsonl'), 'utf8')).toBe(
      [
        '{"name":"Ada","orders":2,"total":12.75,"last_order":"2024-01-03T00:00:00"}',
        '{"name":"Bob","orders":0,"total":0.00,"last_order":null}',
        '{"name":"Zoë","orders":1,"total":7.00,"last_order":"2024-02-29T12:00:00"}',
        '',
      ].join('\n'),
    );
    const parquetRows: unknown[][] = [];
    const parquetFile = quotedString(join(harness.projectDir, 'out', 'totals.parquet'));
    for await (const chunk of harness.dataPlane.readChunks(`SELECT * FROM read_parquet(${parquetFile})`)) {
      expect(chunk.columns.map((column) => column.type)).toEqual([
        'VARCHAR',
        'BIGINT',
        'DECIMAL(38,2)',
        'TIMESTAMP',
      ]);
      parquetRows.push(...chunk.rows);
    }
    expect(parquetRows).toEqual([
      ['Ada', 2n, '12.75', '2024-01-03T00:00:00'],
      ['Bob', 0n, '0.00', null],
      ['Zoë', 1n, '7.00', '2024-02-29T12:00:00'],
    ]);
  });
});
