import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver as extractor } from './extractor.driver.js';
import { quoteIdentifier } from './identifiers.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  duckdbTextRows,
  postgresConnection,
} from './testing/postgres-test-kit.js';

describeIfServers('postgres', 'postgres.extractor: intervals and conversion errors', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_intervals');
    harness = await createDriverHarness();
    const table = `${quoteIdentifier(schema)}.spans`;
    await admin.query(
      `CREATE TABLE ${table} (id int PRIMARY KEY, secret text, span interval, spans interval[])`,
    );
    await admin.query(`INSERT INTO ${table} VALUES
      (1, 'a', '-3 days +04:05:06', ARRAY['-3 days +04:05:06'::interval, NULL, '1 year -2 mons +3 days -04:05:06.7']),
      (2, 'b', '1 year -2 mons +3 days -04:05:06.789012', '{}'),
      (3, 'c', '-1 mons +1 day', NULL),
      (4, 'd', NULL, ARRAY['-00:00:00.000001'::interval])`);
    await admin.query(
      `CREATE TABLE ${quoteIdentifier(schema)}.too_long (id int, secret text, span interval)`,
    );
    await admin.query(`INSERT INTO ${quoteIdentifier(schema)}.too_long VALUES
      (1, 'fine', '1 hour'), (2, 'top secret value', '2562047788 hours')`);
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  const run = (stepId: string, config: Record<string, unknown>) =>
    extractor.run({
      stepId,
      config: { connection: '@postgres.test', ...config },
      inputs: [],
      ctx: harness.context(stepId, { connection: postgresConnection(requireTestServer('postgres')) }),
    });

  it('extracts mixed-sign intervals exactly, in lists too', async () => {
    const result = await run('spans', {
      query: `SELECT * FROM ${quoteIdentifier(schema)}.spans ORDER BY id`,
    });
    expect(result.rows).toBe(4);
    const rows = await duckdbTextRows(
      harness.dataPlane,
      `SELECT CAST(span AS VARCHAR), CAST(spans AS VARCHAR), to_months(0) + to_days(-3) + to_microseconds(14706000000) = span
       FROM ${result.table} ORDER BY id`,
    );
    expect(rows).toEqual([
      ['-3 days 04:05:06', "['-3 days 04:05:06', NULL, '10 months 3 days -04:05:06.7']", 'true'],
      ['10 months 3 days -04:05:06.789012', '[]', 'false'],
      ['-1 month 1 day', null, 'false'],
      [null, "['-00:00:00.000001']", null],
    ]);
    // Each part keeps its own sign, as in PostgreSQL.
    const [parts] = await duckdbTextRows(
      harness.dataPlane,
      `SELECT datepart('month', span), datepart('day', span), datepart('microseconds', span) FROM ${result.table} WHERE id = 2`,
    );
    expect(parts).toEqual(['10', '3', '-6789012']);
  });

  it('names the row, column and type of a value DuckDB cannot hold, never the values', async () => {
    const failure = run('too_long', {
      query: `SELECT * FROM ${quoteIdentifier(schema)}.too_long ORDER BY id`,
    });
    await expect(failure).rejects.toMatchObject({
      code: 'E_SOURCE_READ_FAILED',
      message: expect.stringContaining('(row 2, column "span" (interval → INTERVAL))'),
      details: { row: 2, column: 'span', type: 'interval' },
    });
    const error = (await failure.catch((caught: unknown) => caught)) as Error & { cause?: unknown };
    const everything = JSON.stringify({ message: error.message, error, cause: String(error.cause) });
    expect(everything).not.toContain('top secret');
    expect(everything).not.toContain('2562047788');
    expect(everything).not.toContain('Original Line');
  });
});
