import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './extractor.driver.js';
import { quoteIdentifier } from './identifiers.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  duckdbTextRows,
  postgresConnection,
} from './testing/postgres-test-kit.js';

/**
 * Issue 19 item 14: a `table` read comes in primary-key order, whatever the physical order of the
 * rows (updated rows move to the end of the heap, so a plain scan no longer follows the key).
 */
describeIfServers('postgres', 'postgres.extractor row order of a table', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_order');
    harness = await createDriverHarness();
    const shuffled = `${quoteIdentifier(schema)}.shuffled`;
    // A composite key whose first column is not the table's first column.
    await admin.query(
      `CREATE TABLE ${shuffled} (payload text, tenant int, id int, PRIMARY KEY (tenant, id))`,
    );
    await admin.query(
      `INSERT INTO ${shuffled} SELECT 'row ' || g, g % 2, g FROM generate_series(1, 600) AS g ORDER BY g DESC`,
    );
    await admin.query(`UPDATE ${shuffled} SET payload = payload || ' updated' WHERE id % 3 = 0`);
    await admin.query(`CREATE VIEW ${quoteIdentifier(schema)}.shuffled_view AS SELECT * FROM ${shuffled}`);
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  /** The extracted (tenant, id) pairs in the order they arrived in the data plane. */
  const extract = async (stepId: string, config: Record<string, unknown>) => {
    const ctx = harness.context(stepId, { connection: postgresConnection(requireTestServer('postgres')) });
    const result = await driver.run({
      stepId,
      config: { connection: '@postgres.test', schema, ...config },
      inputs: [],
      ctx,
    });
    const rows = await duckdbTextRows(
      harness.dataPlane,
      `SELECT tenant, id FROM ${harness.dataPlane.quote(result.table!)} ORDER BY rowid`,
    );
    return { rows: rows.map(([tenant, id]) => `${tenant}/${id}`), ctx };
  };

  const keyOrder = async (where = 'true', limit = 'ALL') =>
    (
      await admin.query<{ key: string }>(
        `SELECT tenant || '/' || id AS key FROM ${quoteIdentifier(schema)}.shuffled WHERE ${where} ORDER BY tenant, id LIMIT ${limit}`,
      )
    ).rows.map((row) => row.key);

  const heapOrder = async () =>
    (
      await admin.query<{ key: string }>(
        `SELECT tenant || '/' || id AS key FROM ${quoteIdentifier(schema)}.shuffled`,
      )
    ).rows.map((row) => row.key);

  it('reads a table in primary-key order, columns and limit included, and says so', async () => {
    expect(await heapOrder()).not.toEqual(await keyOrder()); // the scan order really differs
    const all = await extract('ordered', { table: 'shuffled' });
    expect(all.rows).toEqual(await keyOrder());
    const described = all.ctx.recorded.events.find((event) => event.name === 'source_described');
    expect(described?.fields).toMatchObject({ order_by: ['tenant', 'id'] });
    const some = await extract('ordered-some', { table: 'shuffled', columns: ['id', 'tenant'], limit: 50 });
    expect(some.rows).toEqual(await keyOrder('true', '50'));
  });

  it('leaves the order alone with order: none, for a view, and for a query', async () => {
    expect((await extract('unordered', { table: 'shuffled', order: 'none' })).rows).toEqual(
      await heapOrder(),
    );
    expect((await extract('view', { table: 'shuffled_view' })).rows).toEqual(await heapOrder());
    const query = `SELECT tenant, id FROM ${quoteIdentifier(schema)}.shuffled ORDER BY id DESC`;
    const descending = (await keyOrder()).sort((a, b) => Number(b.split('/')[1]) - Number(a.split('/')[1]));
    expect((await extract('query', { query })).rows).toEqual(descending);
  });
});
