import { type AddressInfo, connect as connectTcp, createServer, type Socket } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { moviesTables } from '../../demo/movies-data.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { isOsirisError } from '../../spec/errors.js';
import { driver } from './extractor.driver.js';
import { quoteIdentifier } from './identifiers.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  duckdbTextRows,
  postgresConnection,
} from './testing/postgres-test-kit.js';

const PARALLEL_QUERY =
  'SELECT CASE WHEN n % 100 = 0 THEN NULL ELSE n END AS k, pg_backend_pid() AS pid, ' +
  'txid_current_snapshot()::text AS snap FROM generate_series(1, 1000) AS n';

/** Distinct keys, NULL keys, key sum, distinct backends and distinct snapshots of a parallel read. */
function parallelFacts(harness: DriverHarness, table: string): Promise<(string | null)[]> {
  return duckdbTextRows(
    harness.dataPlane,
    `SELECT count(DISTINCT k), count(*) FILTER (WHERE k IS NULL), sum(k), count(DISTINCT pid), count(DISTINCT snap) FROM ${table}`,
  ).then((rows) => rows[0]!);
}

describeIfServers('postgres', 'postgres.extractor on a real PostgreSQL', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_extract');
    harness = await createDriverHarness();
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  const connection = () => postgresConnection(requireTestServer('postgres'));

  it('extracts every movies table with the same values, value by value', async () => {
    for (const table of moviesTables) {
      const stepId = `extract-${table.name}`;
      const ctx = harness.context(stepId, { connection: connection() });
      const result = await driver.run({
        stepId,
        config: { connection: '@postgres.test', table: table.name },
        inputs: [],
        ctx,
      });

      const names = table.columns.map((column) => column.name);
      const order = table.primaryKey.map((name) => `source.${quoteIdentifier(name)}`).join(', ');
      const expected = await admin.query({
        text: `SELECT ${names.map((name) => `source.${quoteIdentifier(name)}::text`).join(', ')} FROM public.${quoteIdentifier(table.name)} AS source ORDER BY ${order}`,
        rowMode: 'array',
      });
      const actual = await duckdbTextRows(
        harness.dataPlane,
        `SELECT ${names.map((name) => `CAST(source.${quoteIdentifier(name)} AS VARCHAR)`).join(', ')} FROM ${result.table} AS source ORDER BY ${order}`,
      );
      expect(result.rows).toBe(expected.rowCount);
      expect(actual).toEqual(expected.rows);
    }
  });

  it("passes the planner's row estimate of a whole table, so progress can show percent done", async () => {
    await admin.query('ANALYZE reviews');
    const ctx = harness.context('estimate', { connection: connection() });
    const result = await driver.run({
      stepId: 'estimate',
      config: { connection: '@postgres.test', table: 'reviews' },
      inputs: [],
      ctx,
    });
    expect(ctx.recorded.totalRows.length).toBeGreaterThan(0);
    expect(ctx.recorded.totalRows[0]).toBe(result.rows);
    const query = harness.context('estimate-query', { connection: connection() });
    await driver.run({
      stepId: 'estimate-query',
      config: { connection: '@postgres.test', query: 'SELECT * FROM reviews' },
      inputs: [],
      ctx: query,
    });
    expect(query.recorded.totalRows).toEqual([]);
  });

  it('maps the movies column types explicitly', async () => {
    const ctx = harness.context('extract-types', { connection: connection() });
    const result = await driver.run({
      stepId: 'extract-types',
      config: { connection: '@postgres.test', table: 'reviews' },
      inputs: [],
      ctx,
    });
    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((column) => [column.name, column.type])).toEqual([
      ['id', 'INTEGER'],
      ['movie_id', 'INTEGER'],
      ['reviewer', 'VARCHAR'],
      ['rating', 'DECIMAL(3,1)'],
      ['review_date', 'DATE'],
      ['comment', 'VARCHAR'],
    ]);
  });

  it('reads some columns of a table in another schema, with a limit', async () => {
    await admin.query(
      `CREATE TABLE ${quoteIdentifier(schema)}."Odd Name" ("Id" int PRIMARY KEY, "na""me" text, skipped int)`,
    );
    await admin.query(
      `INSERT INTO ${quoteIdentifier(schema)}."Odd Name" SELECT g, 'n' || g, g FROM generate_series(1, 50) g`,
    );
    const ctx = harness.context('odd', { connection: connection() });
    const result = await driver.run({
      stepId: 'odd',
      config: { connection: '@postgres.test', schema, table: 'Odd Name', columns: ['na"me', 'Id'], limit: 7 },
      inputs: [],
      ctx,
    });
    expect(result.rows).toBe(7);
    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((column) => column.name)).toEqual(['na"me', 'Id']);
  });

  it('runs a query with duplicate column names, a trailing comment and semicolon', async () => {
    const ctx = harness.context('query', { connection: connection() });
    const result = await driver.run({
      stepId: 'query',
      config: {
        connection: '@postgres.test',
        query:
          'SELECT m.id, d.id, m.title FROM movies m JOIN directors d ON d.id = m.director_id ORDER BY m.id; -- newest first',
      },
      inputs: [],
      ctx,
    });
    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((column) => column.name)).toEqual(['id', 'id_1', 'title']);
    const expected = await admin.query(
      'SELECT count(*)::int AS n FROM movies m JOIN directors d ON d.id = m.director_id',
    );
    expect(result.rows).toBe(expected.rows[0].n);
    expect(ctx.recorded.metrics.find((metric) => metric.name === 'bytes_read')?.value).toBeGreaterThan(0);
  });

  it('returns an empty table with the right columns for an empty result', async () => {
    const ctx = harness.context('empty', { connection: connection() });
    const result = await driver.run({
      stepId: 'empty',
      config: { connection: '@postgres.test', query: 'SELECT id, title FROM movies WHERE false' },
      inputs: [],
      ctx,
    });
    expect(result.rows).toBe(0);
    expect(await harness.dataPlane.count(result.table!)).toBe(0);
    expect((await harness.dataPlane.columns(result.table!)).map((column) => column.type)).toEqual([
      'INTEGER',
      'VARCHAR',
    ]);
  });

  it('maps numeric precision and scale, narrows unconstrained numerics, keeps NaN as text', async () => {
    const ctx = harness.context('numerics', { connection: connection() });
    const result = await driver.run({
      stepId: 'numerics',
      config: {
        connection: '@postgres.test',
        query: `SELECT 12300::numeric(3,-2) AS rounded, 0.00012::numeric(3,5) AS tiny, 1.5::numeric AS loose,
                       'NaN'::numeric AS not_a_number, (10::numeric ^ 40)::numeric(45,0) AS huge`,
      },
      inputs: [],
      ctx,
    });
    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((column) => column.type)).toEqual([
      'DECIMAL(5,0)',
      'DECIMAL(5,5)',
      'DECIMAL(18,1)',
      'VARCHAR',
      'VARCHAR',
    ]);
    const [values] = await duckdbTextRows(
      harness.dataPlane,
      `SELECT CAST(rounded AS VARCHAR), CAST(tiny AS VARCHAR), CAST(loose AS VARCHAR), not_a_number, huge FROM ${result.table}`,
    );
    // DuckDB prints DECIMAL(5,5) without the leading zero.
    expect(values).toEqual(['12300', '.00012', '1.5', 'NaN', `1${'0'.repeat(40)}`]);
    expect(ctx.recorded.logs.filter((log) => log.level === 'warn').map((log) => log.fields.column)).toEqual([
      'not_a_number',
    ]);
  });

  it('fails loudly on a multi-dimensional array instead of guessing', async () => {
    const ctx = harness.context('matrix', { connection: connection() });
    const failure = await driver
      .run({
        stepId: 'matrix',
        config: { connection: '@postgres.test', query: 'SELECT ARRAY[[1,2],[3,4]] AS m' },
        inputs: [],
        ctx,
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_SOURCE_READ_FAILED');
    expect(isOsirisError(failure) && failure.hint).toMatch(/::text/);
    await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('matrix'))).rejects.toThrow(/no table/);
  });

  // About 100 MB: DuckDB meets the bad row while PostgreSQL is still sending.
  it('reports the DuckDB conversion error when loading fails part-way through a large result', async () => {
    const ctx = harness.context('late-matrix', { connection: connection() });
    const failure = await driver
      .run({
        stepId: 'late-matrix',
        config: {
          connection: '@postgres.test',
          query:
            "SELECT g, repeat('x', 400) AS pad, CASE WHEN g = 100000 THEN ARRAY[[1],[2]] ELSE ARRAY[[g]] END AS m FROM generate_series(1, 250000) g",
        },
        inputs: [],
        ctx,
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_SOURCE_READ_FAILED');
    await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('late-matrix'))).rejects.toThrow(
      /no table/,
    );
  });

  it('refuses a query that writes: extraction runs read-only', async () => {
    await admin.query(`CREATE TABLE ${quoteIdentifier(schema)}.guarded (id int)`);
    const ctx = harness.context('writes', { connection: connection() });
    const failure = await driver
      .run({
        stepId: 'writes',
        config: {
          connection: '@postgres.test',
          query: `INSERT INTO ${quoteIdentifier(schema)}.guarded VALUES (1) RETURNING id`,
        },
        inputs: [],
        ctx,
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_QUERY_FAILED');
    const rows = await admin.query(`SELECT count(*)::int AS n FROM ${quoteIdentifier(schema)}.guarded`);
    expect(rows.rows[0].n).toBe(0);
  });

  it('reports a missing table with a hint, and leaves no table behind', async () => {
    const ctx = harness.context('missing', { connection: connection() });
    const failure = await driver
      .run({
        stepId: 'missing',
        config: { connection: '@postgres.test', table: 'no_such_table' },
        inputs: [],
        ctx,
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_QUERY_FAILED');
    expect(isOsirisError(failure) && failure.hint).toMatch(/does not exist/);
    await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('missing'))).rejects.toThrow(
      /no table/,
    );
  });

  it('fails on a server error part-way through the COPY and keeps nothing', async () => {
    const ctx = harness.context('divides', { connection: connection() });
    const failure = await driver
      .run({
        stepId: 'divides',
        config: {
          connection: '@postgres.test',
          query: 'SELECT g, 1 / (g - 60000) AS boom FROM generate_series(1, 100000) g',
        },
        inputs: [],
        ctx,
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_QUERY_FAILED');
    expect(isOsirisError(failure) && failure.message).toMatch(/division by zero/);
    await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('divides'))).rejects.toThrow(
      /no table/,
    );
  });

  it('fails clearly when the connection drops mid-extract, keeps nothing, and succeeds when re-run', async () => {
    const facts = requireTestServer('postgres');
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connectTcp(facts.port, facts.host);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    const viaProxy = postgresConnection({ ...facts, host: '127.0.0.1', port });
    const config = {
      connection: '@postgres.test',
      query: 'SELECT g, md5(g::text) AS payload FROM generate_series(1, 300000) g',
    };
    try {
      // The "network" fails as soon as rows flow.
      const cut = () => {
        for (const socket of sockets) socket.destroy();
      };
      const failure = await driver
        .run({
          stepId: 'dropped',
          config,
          inputs: [],
          ctx: harness.context('dropped', { connection: viaProxy, onProgress: cut }),
        })
        .catch((error: unknown) => error);
      // Connected, then lost mid-statement: not "cannot connect" (issue 19).
      expect(isOsirisError(failure) && failure.code).toBe('E_CONNECTION_LOST');
      expect(isOsirisError(failure) && failure.retryable).toBe(true);
      expect(isOsirisError(failure) && failure.message).toMatch(/lost the connection to .* while reading/);
      await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('dropped'))).rejects.toThrow(
        /no table/,
      );

      const rerun = await driver.run({
        stepId: 'dropped',
        config,
        inputs: [],
        ctx: harness.context('dropped', { connection: viaProxy }),
      });
      expect(rerun.rows).toBe(300_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('stops the COPY on abort and keeps no partial table', async () => {
    const controller = new AbortController();
    const marker = `abort_marker_${process.pid}`;
    const ctx = harness.context('aborted', {
      connection: connection(),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const failure = await driver
      .run({
        stepId: 'aborted',
        config: {
          connection: '@postgres.test',
          query: `SELECT g AS ${marker}, md5(g::text) AS payload FROM generate_series(1, 5000000) g`,
        },
        inputs: [],
        ctx,
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_CANCELLED');
    expect(ctx.recorded.progress.length).toBeGreaterThan(0);
    await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('aborted'))).rejects.toThrow(
      /no table/,
    );
    // The server notices the dropped connection at its next write and ends the backend.
    let running = 1;
    for (let attempt = 0; attempt < 200 && running > 0; attempt += 1) {
      const activity = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%${marker}%' AND pid <> pg_backend_pid()`,
      );
      running = activity.rows[0].n;
      if (running > 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(running).toBe(0);
  });

  it('reads in parallel ranges over several connections that share one snapshot', async () => {
    // Each range's read_csv buffer comes from the buffer pool: four need a larger pool than the default.
    const wide = await createDriverHarness({ memoryLimit: '1GB' });
    try {
      const stepId = 'parallel';
      const ctx = wide.context(stepId, { connection: connection() });
      // Each range runs the query in its own session: the backend pid tells the connections apart,
      // the transaction snapshot shows they all read the same state. Every 100th key is NULL.
      const result = await driver.run({
        stepId,
        config: { connection: '@postgres.test', query: PARALLEL_QUERY, parallel: 4, partition_column: 'k' },
        inputs: [],
        ctx,
      });
      expect(result.rows).toBe(1000);
      expect(await parallelFacts(wide, result.table!)).toEqual([
        '990',
        '10',
        String(500_500 - 5_500),
        '4',
        '1',
      ]);
      expect(ctx.recorded.logs).toContainEqual({
        level: 'debug',
        message: 'parallel read',
        fields: { ranges: 4, partition_column: 'k' },
      });
    } finally {
      await wide.close();
    }
  });

  it('narrows a parallel read to the ranges the memory limit affords, and says so', async () => {
    // 16 MiB rows: each range's read buffer is 32 MiB, and half of the pool affords one.
    const small = await createDriverHarness({ memoryLimit: '128MB', maxRowBytes: 16 * 1024 * 1024 });
    try {
      const ctx = small.context('narrowed', { connection: connection() });
      const result = await driver.run({
        stepId: 'narrowed',
        config: { connection: '@postgres.test', query: PARALLEL_QUERY, parallel: 4, partition_column: 'k' },
        inputs: [],
        ctx,
      });
      expect(result.rows).toBe(1000);
      expect((await parallelFacts(small, result.table!))[3]).toBe('1');
      expect(ctx.recorded.logs).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          message: expect.stringMatching(/^parallel: 4 narrowed to 1 ranges/),
        }),
      );
    } finally {
      await small.close();
    }
  });

  it('refuses a row longer than max_row_size with a hint to raise it; a larger setting reads it', async () => {
    const strict = await createDriverHarness({ maxRowBytes: 64 * 1024 });
    try {
      const failure = await driver
        .run({
          stepId: 'long-row',
          config: { connection: '@postgres.test', query: "SELECT 1 AS id, repeat('x', 100000) AS body" },
          inputs: [],
          ctx: strict.context('long-row', { connection: connection() }),
        })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({
        code: 'E_SOURCE_READ_FAILED',
        message: expect.stringContaining('longer than the 65536 bytes'),
        hint: expect.stringContaining('max_row_size'),
      });
    } finally {
      await strict.close();
    }
    const result = await harness.run(driver, {
      stepId: 'long-row-default',
      config: { connection: '@postgres.test', query: "SELECT 1 AS id, repeat('x', 100000) AS body" },
      connection: connection(),
    });
    expect(result.result.rows).toBe(1);
  });

  it('splits a table by its primary key, and refuses what it cannot split', async () => {
    const table = await harness.run(driver, {
      stepId: 'parallel-table',
      config: { connection: '@postgres.test', table: 'reviews', parallel: 3 },
      connection: connection(),
    });
    const [count] = (await admin.query('SELECT count(*)::int AS n FROM reviews')).rows as { n: number }[];
    expect(table.result.rows).toBe(count!.n);
    for (const [config, message] of [
      [{ query: 'SELECT 1 AS a', parallel: 2 }, /needs a column to split the read by/],
      [
        { query: "SELECT 'x' AS a", parallel: 2, partition_column: 'a' },
        /is text; a parallel read splits an integer column/,
      ],
      [{ query: 'SELECT 1 AS a', parallel: 2, partition_column: 'b' }, /"b" is not a column of the result/],
    ] as const) {
      const failure = await driver
        .run({
          stepId: 'refused',
          config: { connection: '@postgres.test', ...config },
          inputs: [],
          ctx: harness.context('refused', { connection: connection() }),
        })
        .catch((error: unknown) => error);
      expect(isOsirisError(failure) && failure.code).toBe('E_USAGE');
      expect(String((failure as Error).message)).toMatch(message);
    }
  });
});
