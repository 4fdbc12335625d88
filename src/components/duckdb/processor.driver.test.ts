import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './processor.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await harness.dataPlane.run(
    `CREATE TABLE df_orders AS SELECT * FROM (VALUES (1, 'ada', 10.50::DECIMAL(10,2)), (2, 'bob', 3.25), (3, 'ada', 1.00)) v(id, customer, amount)`,
  );
  await harness.dataPlane.run(
    `CREATE TABLE df_customers AS SELECT * FROM (VALUES ('ada', 'Ada Lovelace'), ('bob', 'Bob Kahn')) v(customer, full_name)`,
  );
});

afterEach(async () => {
  await harness.close();
});

async function rowsOf(table: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const chunk of harness.dataPlane.readChunks(table)) rows.push(...chunk.rows);
  return rows;
}

describe('duckdb.processor', () => {
  it('reads a single input as input_df and as df_<id>', async () => {
    const { result, ctx } = await harness.run(driver, {
      stepId: 'totals',
      needs: ['orders'],
      config: {
        query: 'SELECT customer, sum(amount) AS total FROM input_df GROUP BY customer ORDER BY customer;',
      },
    });
    expect(result).toEqual({ table: 'df_totals', rows: 2 });
    expect(ctx.recorded.progress).toEqual([2]);
    expect(await rowsOf('df_totals')).toEqual([
      ['ada', '11.50'],
      ['bob', '3.25'],
    ]);
    const { result: again } = await harness.run(driver, {
      stepId: 'count-orders',
      needs: ['orders'],
      config: { query: 'SELECT count(*) AS n FROM df_orders' },
    });
    expect(again).toEqual({ table: 'df_count_orders', rows: 1 });
  });

  it('joins several inputs by their df_ names', async () => {
    const { result } = await harness.run(driver, {
      stepId: 'joined',
      needs: ['orders', 'customers'],
      config: {
        query: 'SELECT o.id, c.full_name FROM df_orders o JOIN df_customers c USING (customer) ORDER BY o.id',
      },
    });
    expect(result.rows).toBe(3);
    expect(await rowsOf('df_joined')).toEqual([
      [1, 'Ada Lovelace'],
      [2, 'Bob Kahn'],
      [3, 'Ada Lovelace'],
    ]);
  });

  it('gives two processors running at once their own input_df', async () => {
    const [first, second] = await Promise.all([
      harness.run(driver, {
        stepId: 'from-orders',
        needs: ['orders'],
        config: { query: 'SELECT count(*) AS n, min(customer) AS first FROM input_df' },
      }),
      harness.run(driver, {
        stepId: 'from-customers',
        needs: ['customers'],
        config: { query: 'SELECT count(*) AS n, min(full_name) AS first FROM input_df' },
      }),
    ]);
    expect(first.result.rows).toBe(1);
    expect(second.result.rows).toBe(1);
    expect(await rowsOf('df_from_orders')).toEqual([[3n, 'ada']]);
    expect(await rowsOf('df_from_customers')).toEqual([[2n, 'Ada Lovelace']]);
  });

  it('does not leak input_df into later steps', async () => {
    await harness.run(driver, {
      stepId: 'one',
      needs: ['orders'],
      config: { query: 'SELECT * FROM input_df' },
    });
    const error = await harness
      .run(driver, {
        stepId: 'two',
        needs: ['orders', 'customers'],
        config: { query: 'SELECT * FROM input_df' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_QUERY_FAILED' });
    expect(await harness.dataPlane.count('df_one')).toBe(3);
  });

  it('explains SQL errors with DuckDB message and the relations it can read', async () => {
    const error = await harness
      .run(driver, { stepId: 'broken', needs: ['orders'], config: { query: 'SELECT nope FROM input_df' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_QUERY_FAILED' });
    expect((error as Error).message).toContain('nope');
    expect((error as { hint: string }).hint).toBe(
      'Available relations: input_df = df_orders (id, customer, amount).',
    );
  });

  it('runs exactly one statement', async () => {
    const error = await harness
      .run(driver, {
        stepId: 'sneaky',
        needs: ['orders'],
        config: { query: 'SELECT 1; DROP TABLE df_orders' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_QUERY_FAILED' });
    expect(await harness.dataPlane.count('df_orders')).toBe(3);
  });

  it('reports a missing input table as an upstream failure', async () => {
    await expect(
      harness.run(driver, {
        stepId: 'orphan',
        needs: ['never-ran'],
        config: { query: 'SELECT * FROM input_df' },
      }),
    ).rejects.toMatchObject({ code: 'E_UPSTREAM_FAILED' });
  });

  it('is cancelled by its signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      harness.run(driver, {
        stepId: 'cancelled',
        needs: ['orders'],
        config: { query: 'SELECT * FROM input_df' },
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });

  it('interrupts a long query when aborted mid-way', async () => {
    const controller = new AbortController();
    const running = harness.run(driver, {
      stepId: 'endless',
      config: { query: 'SELECT sum(a.range * b.range) AS s FROM range(1000000) a, range(1000000) b' },
      signal: controller.signal,
    });
    setImmediate(() => controller.abort());
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });
});
