import { readdir } from 'node:fs/promises';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeIfServers,
  requireTestServer,
  TEST_SERVER_PASSWORD,
} from '../../../test/setup/test-servers.js';
import { moviesRows, moviesTables } from '../../demo/movies-data.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { isOsirisError } from '../../spec/errors.js';
import { driver } from './extractor.driver.js';
import {
  createScratchDatabase,
  createTypeMatrix,
  mysqlConnection,
  openMysql,
  readAll,
  type ServerFacts,
} from './mysql-test-support.js';

describeIfServers('mysql', 'mysql.extractor against MariaDB', () => {
  let server: ServerFacts;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let admin: mysql.Connection;
  let run: DriverHarness;

  beforeAll(async () => {
    server = requireTestServer('mysql');
    scratch = await createScratchDatabase(server);
    admin = await openMysql(scratch.facts);
    run = await createDriverHarness();
  });

  afterAll(async () => {
    await run?.close();
    await admin?.end();
    await scratch?.drop();
  });

  async function extract(
    stepId: string,
    config: Record<string, unknown>,
    options: { signal?: AbortSignal; facts?: ServerFacts; harness?: DriverHarness } = {},
  ) {
    const connection = mysqlConnection(options.facts ?? server);
    const harness = options.harness ?? run;
    const ctx = harness.context(stepId, {
      connection,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      return await driver.run({ stepId, config: { connection: '@mysql.test', ...config }, inputs: [], ctx });
    } finally {
      // Whatever happened, nothing the driver reported may carry the planted password.
      expect(JSON.stringify(ctx.recorded)).not.toContain(TEST_SERVER_PASSWORD);
    }
  }

  it('copies every movies table with exact values', async () => {
    for (const table of moviesTables) {
      const result = await extract(`extract-${table.name}`, { table: table.name, fetch_size: 64 });
      const order = table.primaryKey.map((name) => run.dataPlane.quote(name)).join(', ');
      const { columns, rows } = await readAll(
        run.dataPlane,
        `SELECT * FROM ${result.table} ORDER BY ${order}`,
      );
      expect(result.rows, table.name).toBe(moviesRows(table.name).length);
      expect(columns.map((column) => column.name)).toEqual(table.columns.map((column) => column.name));
      expect(rows, table.name).toEqual(moviesRows(table.name));
    }
    const { columns } = await readAll(
      run.dataPlane,
      `SELECT * FROM ${run.dataPlane.tableFor('extract-movies')} LIMIT 0`,
    );
    expect(columns.map((column) => column.type)).toEqual([
      'INTEGER',
      'VARCHAR',
      'INTEGER',
      'VARCHAR',
      'INTEGER',
      'INTEGER',
      'DECIMAL(8,2)',
      'DECIMAL(10,2)',
    ]);
  });

  it('reports progress batch by batch', async () => {
    const ctx = run.context('progress', { connection: mysqlConnection(server) });
    const result = await driver.run({
      stepId: 'progress',
      config: { connection: '@mysql.test', table: 'reviews', fetch_size: 100 },
      inputs: [],
      ctx,
    });
    expect(ctx.recorded.progress.length).toBeGreaterThanOrEqual(Math.floor(result.rows / 100));
    expect(ctx.recorded.progress.at(-1)).toBe(result.rows);
  });

  it("passes the server's row estimate of a whole table, so progress can show percent done", async () => {
    const movies = await openMysql(server);
    await movies.query('ANALYZE TABLE reviews');
    await movies.end();
    const ctx = run.context('estimate', { connection: mysqlConnection(server) });
    const result = await driver.run({
      stepId: 'estimate',
      config: { connection: '@mysql.test', table: 'reviews', fetch_size: 100 },
      inputs: [],
      ctx,
    });
    expect(ctx.recorded.totalRows.length).toBeGreaterThan(0);
    // InnoDB's count is sampled: close to the real one, not exact.
    expect(ctx.recorded.totalRows[0]).toBeGreaterThan(result.rows / 2);
    expect(ctx.recorded.totalRows[0]).toBeLessThan(result.rows * 2);
    // A limited read has no total to show.
    const limited = run.context('limited', { connection: mysqlConnection(server) });
    await driver.run({
      stepId: 'limited',
      config: { connection: '@mysql.test', table: 'reviews', limit: 300, fetch_size: 100 },
      inputs: [],
      ctx: limited,
    });
    expect(limited.recorded.totalRows).toEqual([]);
  });

  it('runs a query, keeping duplicate column names apart', async () => {
    const result = await extract('ava', {
      query:
        "SELECT m.id, m.title, d.id, d.name FROM movies m JOIN directors d ON d.id = m.director_id WHERE d.name = 'Ava DuVernay' ORDER BY m.release_year;",
    });
    const { columns, rows } = await readAll(run.dataPlane, `SELECT * FROM ${result.table}`);
    expect(columns.map((column) => column.name)).toEqual(['id', 'title', 'id_2', 'name']);
    expect(rows.map((row) => row[1])).toEqual(['Middle of Nowhere', 'Selma', '13th', 'A Wrinkle in Time']);
  });

  it('reads chosen columns with a limit', async () => {
    const result = await extract('some', {
      table: 'directors',
      columns: ['name', 'id'],
      limit: 3,
      schema: server.database,
    });
    const { columns, rows } = await readAll(run.dataPlane, `SELECT * FROM ${result.table}`);
    expect(columns.map((column) => column.name)).toEqual(['name', 'id']);
    expect(rows).toHaveLength(3);
  });

  it('maps every MySQL type exactly, NULLs included', async () => {
    await createTypeMatrix(admin, 'type_matrix');
    const result = await extract('matrix', { table: 'type_matrix' }, { facts: scratch.facts });
    const { columns, rows } = await readAll(run.dataPlane, `SELECT * FROM ${result.table} ORDER BY id`);
    expect(Object.fromEntries(columns.map((column) => [column.name, column.type]))).toEqual({
      id: 'INTEGER',
      flag: 'BOOLEAN',
      tiny: 'TINYINT',
      tiny_unsigned: 'UTINYINT',
      small: 'SMALLINT',
      medium: 'INTEGER',
      normal: 'INTEGER',
      normal_unsigned: 'UINTEGER',
      big: 'BIGINT',
      big_unsigned: 'UBIGINT',
      amount: 'DECIMAL(30,10)',
      ratio: 'FLOAT',
      precise: 'DOUBLE',
      happened: 'TIMESTAMP',
      stamped: 'TIMESTAMP WITH TIME ZONE',
      day: 'DATE',
      duration: 'INTERVAL',
      year_value: 'SMALLINT',
      document: 'JSON',
      fixed_bytes: 'BLOB',
      bytes: 'BLOB',
      blob_value: 'BLOB',
      text_value: 'VARCHAR',
      name: 'VARCHAR',
      code: 'VARCHAR',
      choice: 'VARCHAR',
      bits: 'UBIGINT',
    });
    // Bytes compared as hex: the data plane may hand out Buffers or plain Uint8Arrays.
    const hexed = rows.map((row) =>
      row.map((value) => (value instanceof Uint8Array ? `hex:${Buffer.from(value).toString('hex')}` : value)),
    );
    const bytes = (hex: string) => `hex:${hex}`;
    expect(hexed[0]).toEqual([
      1,
      true,
      -128,
      255,
      -32768,
      -8388608,
      -2147483648,
      4294967295,
      9007199254740993n,
      18446744073709551615n,
      '12345678901234567890.0123456789',
      1.5,
      0.1,
      '2024-02-29T23:59:59.123456',
      '2038-01-19T03:14:07.999Z',
      '1000-01-01',
      '-838:59:59',
      2155,
      '{"k": [1, 2.5, "x"]}',
      bytes('00ff0102'),
      bytes('deadbeef'),
      bytes('000102'),
      'multi\nline \\ text',
      'Zoë 🍿 "quoted"',
      'abc',
      'green',
      0b1010101010n,
    ]);
    expect(hexed[1]?.slice(8, 19)).toEqual([
      -9223372036854775808n,
      0n,
      '-0.0000000001',
      -3.25,
      -1e300,
      '1970-01-01T00:00:00',
      '1970-01-01T00:00:01Z',
      '9999-12-31',
      '12:34:56.5',
      1901,
      '[]',
    ]);
    expect(hexed[2]).toEqual([3, ...Array.from({ length: 26 }, () => null)]);
  });

  it('keeps NULL apart from empty text and bytes, and reads zero dates as NULL', async () => {
    await admin.query("SET SESSION sql_mode = ''");
    await admin.query(`CREATE TABLE edge_values (
      id INT PRIMARY KEY, day DATE, happened DATETIME, stamped TIMESTAMP NULL, label VARCHAR(20),
      bytes VARBINARY(8), note TEXT, wide DECIMAL(65,30)
    ) DEFAULT CHARSET=utf8mb4`);
    await admin.query(`INSERT INTO edge_values VALUES
      (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '', '', ',"\r\n', '-12345678901234567890123456789012345.123456789012345678901234567890'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, '2024-01-31', '2024-01-31 10:11:12', '2024-01-31 10:11:12', 'NULL', 0x2c22, '\\\\N', 0)`);
    const result = await extract('edges', { table: 'edge_values' }, { facts: scratch.facts });
    const { columns, rows } = await readAll(run.dataPlane, `SELECT * FROM ${result.table} ORDER BY id`);
    expect(columns.map((column) => column.type)).toEqual([
      'INTEGER',
      'DATE',
      'TIMESTAMP',
      'TIMESTAMP WITH TIME ZONE',
      'VARCHAR',
      'BLOB',
      'VARCHAR',
      'VARCHAR',
    ]);
    const hexed = rows.map((row) =>
      row.map((value) => (value instanceof Uint8Array ? `hex:${Buffer.from(value).toString('hex')}` : value)),
    );
    expect(hexed).toEqual([
      [
        1,
        null,
        null,
        null,
        '',
        'hex:',
        ',"\r\n',
        '-12345678901234567890123456789012345.123456789012345678901234567890',
      ],
      [2, null, null, null, null, null, null, null],
      [
        3,
        '2024-01-31',
        '2024-01-31T10:11:12',
        '2024-01-31T10:11:12Z',
        'NULL',
        'hex:2c22',
        '\\N',
        '0.000000000000000000000000000000',
      ],
    ]);
  });

  it('fails naming the column when DuckDB cannot load a value mid-stream, and keeps nothing', async () => {
    await admin.query("SET SESSION sql_mode = ''");
    await admin.query('CREATE TABLE bad_dates (id INT PRIMARY KEY, day DATE)');
    await admin.query(
      "INSERT INTO bad_dates SELECT seq, IF(seq = 30000, '2024-00-15', '2024-01-15') FROM seq_1_to_50000",
    );
    const error = await extract('bad-dates', { table: 'bad_dates' }, { facts: scratch.facts }).catch(
      (caught: unknown) => caught,
    );
    expect(isOsirisError(error) && error.code).toBe('E_SOURCE_READ_FAILED');
    expect((error as Error).message).toContain('column "day"');
    expect((error as { hint?: string }).hint).toContain('CAST(`day` AS CHAR)');
    const { rows } = await readAll(
      run.dataPlane,
      `SELECT count(*) FROM information_schema.tables WHERE table_name = '${run.dataPlane.tableFor('bad-dates')}'`,
    );
    expect(rows).toEqual([[0n]]);
    expect(
      (await readdir(run.dataPlane.directory)).filter((name) => name.startsWith('osiris-pipe-')),
    ).toEqual([]);
  });

  it('reads in parallel ranges over several connections, every row once', async () => {
    const movies = await extract('parallel-movies', { table: 'movies', parallel: 3 });
    const { rows } = await readAll(run.dataPlane, `SELECT * FROM ${movies.table} ORDER BY id`);
    expect(rows).toEqual(moviesRows('movies'));
    // CONNECTION_ID() tells the ranges' connections apart; every 10th key is NULL (first range).
    const query = 'SELECT IF(id % 10 = 0, NULL, id) AS k, CONNECTION_ID() AS conn FROM reviews';
    // Each range's read_csv buffer comes from the buffer pool: four need a larger pool than the default.
    const wide = await createDriverHarness({ memoryLimit: '1GB' });
    const result = await extract(
      'parallel-query',
      { query, parallel: 4, partition_column: 'k' },
      { harness: wide },
    );
    const [facts] = (
      await readAll(
        wide.dataPlane,
        `SELECT count(*), count(*) FILTER (WHERE k IS NULL), count(DISTINCT k), count(DISTINCT conn) FROM ${result.table}`,
      )
    ).rows;
    const total = moviesRows('reviews').length;
    const nulls = moviesRows('reviews').filter((row) => Number(row[0]) % 10 === 0).length;
    expect(facts!.map(Number)).toEqual([total, nulls, total - nulls, 4]);
    await wide.close();
  });

  it('refuses a parallel read it cannot split', async () => {
    for (const [config, message] of [
      [{ query: 'SELECT 1 AS a', parallel: 2 }, /needs a column to split the read by/],
      [{ query: "SELECT 'x' AS a", parallel: 2, partition_column: 'a' }, /splits an integer column/],
      [{ query: 'SELECT 1 AS a', parallel: 2, partition_column: 'b' }, /"b" is not a column of the result/],
      [{ table: 'movies', parallel: 2, limit: 5 }, /`limit` must be left out of a `parallel` read/],
    ] as const) {
      const error = await extract('refused', config).catch((caught: unknown) => caught);
      expect(isOsirisError(error) && error.code).toBe('E_USAGE');
      expect((error as Error).message).toMatch(message);
    }
  });

  it('never writes to the source', async () => {
    const error = await extract('delete', { query: 'DELETE FROM movies' }).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_READ_ONLY_VIOLATION');
    const [rows] = (await admin.query(
      `SELECT COUNT(*) AS n FROM \`${server.database}\`.movies`,
    )) as unknown as [{ n: string }[]];
    expect(Number(rows[0]?.n)).toBe(moviesRows('movies').length);
  });

  it('fails with E_SOURCE_READ_FAILED naming the problem for a missing table', async () => {
    const error = await extract('missing', { table: 'no_such_table' }).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_SOURCE_READ_FAILED');
    expect((error as Error).message).toContain('no_such_table');
  });

  it('stops when the run is aborted mid-stream', async () => {
    const controller = new AbortController();
    const ctx = run.context('aborted', {
      connection: mysqlConnection(server),
      signal: controller.signal,
      onProgress: (rows) => (rows >= 2000 ? controller.abort() : undefined),
    });
    const error = await driver
      .run({
        stepId: 'aborted',
        // MariaDB's SEQUENCE engine: a million generated rows, streamed.
        config: { connection: '@mysql.test', query: 'SELECT seq FROM seq_1_to_1000000', fetch_size: 1000 },
        inputs: [],
        ctx,
      })
      .catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_CANCELLED');
    expect(ctx.recorded.progress.at(-1)).toBeLessThan(1_000_000);
  });

  it('reports a wrong password as E_AUTH_FAILED without the password', async () => {
    const wrongPassword = 'Wr0ng-password-value';
    const error = await extract(
      'auth',
      { table: 'movies' },
      { facts: { ...server, password: wrongPassword } },
    ).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_AUTH_FAILED');
    const text = JSON.stringify({
      message: (error as Error).message,
      ...(error as { toJSON(): object }).toJSON(),
    });
    expect(text).not.toContain(wrongPassword);
    expect(text).not.toContain(TEST_SERVER_PASSWORD);
    expect((error as { hint?: string }).hint).toMatch(/password/);
  });
});
