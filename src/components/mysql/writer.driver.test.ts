import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeIfServers,
  requireTestServer,
  TEST_SERVER_PASSWORD,
} from '../../../test/setup/test-servers.js';
import { moviesRows, moviesTables } from '../../demo/movies-data.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ColumnInfo } from '../../spec/driver.js';
import { isOsirisError } from '../../spec/errors.js';
import { driver as extractor } from './extractor.driver.js';
import {
  createScratchDatabase,
  createTypeMatrix,
  mysqlConnection,
  openMysql,
  type ServerFacts,
} from './mysql-test-support.js';
import { targetLockName } from './target-lock.js';
import { helperLockName, driver as writer } from './writer.driver.js';

const DUCKDB_TYPES = { integer: 'INTEGER', varchar: 'VARCHAR', text: 'VARCHAR', date: 'DATE' } as const;

function duckdbColumns(tableName: string): ColumnInfo[] {
  const table = moviesTables.find((candidate) => candidate.name === tableName)!;
  return table.columns.map(({ name, type }) => ({
    name,
    type: type.kind === 'decimal' ? `DECIMAL(${type.precision},${type.scale})` : DUCKDB_TYPES[type.kind],
  }));
}

async function* once(rows: unknown[][]): AsyncGenerator<unknown[][]> {
  yield rows;
}

describeIfServers('mysql', 'mysql.writer against MariaDB', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let facts: ServerFacts;
  let admin: mysql.Connection;
  let run: DriverHarness;

  beforeAll(async () => {
    scratch = await createScratchDatabase(requireTestServer('mysql'));
    facts = scratch.facts;
    admin = await openMysql(facts);
    run = await createDriverHarness();
  });

  afterAll(async () => {
    await run?.close();
    await admin?.end();
    await scratch?.drop();
  });

  /** A data-plane table standing in for an upstream step's output. */
  async function input(stepId: string, columns: ColumnInfo[], rows: unknown[][]): Promise<string> {
    const table = run.dataPlane.tableFor(stepId);
    await run.dataPlane.run(`DROP TABLE IF EXISTS ${table}`);
    await run.dataPlane.appendRows(table, columns, once(rows));
    return table;
  }

  async function write(
    inputTable: string,
    config: Record<string, unknown>,
    options: { facts?: ServerFacts } = {},
  ) {
    const stepId = 'write';
    const ctx = run.context(stepId, { connection: mysqlConnection(options.facts ?? facts) });
    try {
      const result = await writer.run({
        stepId,
        config: { connection: '@mysql.test', ...config },
        inputs: [{ stepId: 'upstream', table: inputTable }],
        ctx,
      });
      return { ...result, recorded: ctx.recorded };
    } finally {
      // Whatever happened, nothing the driver reported may carry the planted password.
      expect(JSON.stringify(ctx.recorded)).not.toContain(TEST_SERVER_PASSWORD);
    }
  }

  async function select(sql: string): Promise<Record<string, unknown>[]> {
    const [rows] = (await admin.query(sql)) as unknown as [Record<string, unknown>[]];
    return rows;
  }

  async function failure(
    promise: Promise<unknown>,
  ): Promise<{ code?: string; message: string; hint?: string }> {
    const error = await promise.then(
      () => {
        throw new Error('expected the write to fail');
      },
      (caught: unknown) => caught,
    );
    expect(isOsirisError(error)).toBe(true);
    return error as { code?: string; message: string; hint?: string };
  }

  const leftoverTables = async () =>
    (await select("SHOW TABLES LIKE '%\\_\\_osiris\\_%'")).map((row) => Object.values(row)[0]);

  it('creates the table from the input columns and appends the rows', async () => {
    const table = await input('movies', duckdbColumns('movies'), moviesRows('movies'));
    const result = await write(table, { table: 'movies_copy', primary_key: 'id', batch_size: 40 });
    expect(result.rows).toBe(150);
    // The SQL text sent: every row's values at least, as the PostgreSQL writer reports its COPY bytes.
    const bytes = result.recorded.metrics.find((metric) => metric.name === 'bytes_written');
    expect(bytes?.unit).toBe('bytes');
    expect(bytes?.value).toBeGreaterThan(150 * 20);
    const rows = await select('SELECT * FROM movies_copy ORDER BY id');
    expect(rows.map((row) => Object.values(row))).toEqual(moviesRows('movies'));
    const [created] = await select('SHOW CREATE TABLE movies_copy');
    expect(String(created?.['Create Table'])).toMatch(/PRIMARY KEY \(`id`\)/);
    expect(String(created?.['Create Table'])).toMatch(/`budget_musd` decimal\(8,2\)/);
  });

  it('reports config mistakes as usage errors (exit 2), like every database component', async () => {
    const table = await input('movies', duckdbColumns('movies'), moviesRows('movies'));
    for (const config of [{ table: 'x', lock_timeout: 0 }, { table: 'x', write_mode: 'merge' }, {}]) {
      expect((await failure(write(table, config))).code).toBe('E_USAGE');
    }
  });

  it('round-trips every MySQL type through the data plane exactly', async () => {
    await createTypeMatrix(admin, 'matrix_source');
    const ctx = run.context('matrix', { connection: mysqlConnection(facts) });
    const extracted = await extractor.run({
      stepId: 'matrix',
      config: { connection: '@mysql.test', table: 'matrix_source' },
      inputs: [],
      ctx,
    });
    await admin.query('CREATE TABLE matrix_copy LIKE matrix_source');
    await write(extracted.table!, { table: 'matrix_copy', create_if_missing: false });
    const exact = (table: string) =>
      select(
        `SELECT id, flag, tiny, tiny_unsigned, small, medium, normal, normal_unsigned, big, big_unsigned, amount,
                ratio, precise, happened, stamped, day, duration, year_value, document, HEX(fixed_bytes) AS fixed_bytes,
                HEX(bytes) AS bytes, HEX(blob_value) AS blob_value, text_value, name, code, choice, bits + 0 AS bits
         FROM ${table} ORDER BY id`,
      );
    const copied = await exact('matrix_copy');
    expect(copied).toEqual(await exact('matrix_source'));
    expect(copied[0]?.big).toBe('9007199254740993');
    expect(copied[0]?.name).toBe('Zoë 🍿 "quoted"');

    // And into a table the writer creates itself.
    await write(extracted.table!, { table: 'matrix_created', primary_key: 'id' });
    const types = Object.fromEntries(
      (await select('SHOW COLUMNS FROM matrix_created')).map((row) => [row.Field, row.Type]),
    );
    expect(types).toMatchObject({
      flag: 'tinyint(1)',
      big: 'bigint(20)',
      big_unsigned: 'bigint(20) unsigned',
      amount: 'decimal(30,10)',
      happened: 'datetime(6)',
      stamped: 'datetime(6)',
      duration: 'time(6)',
      bytes: 'longblob',
      name: 'longtext',
    });
    const created = await select(
      'SELECT big, big_unsigned, amount, happened, stamped, duration, HEX(bytes) AS bytes, name FROM matrix_created ORDER BY id',
    );
    expect(created[0]).toEqual({
      big: '9007199254740993',
      big_unsigned: '18446744073709551615',
      amount: '12345678901234567890.0123456789',
      happened: '2024-02-29 23:59:59.123456',
      stamped: '2038-01-19 03:14:07.999000',
      duration: '-838:59:59.000000',
      bytes: 'DEADBEEF',
      name: 'Zoë 🍿 "quoted"',
    });
    expect(Object.values(created[2]!).every((value) => value === null)).toBe(true);
  });

  it('upserts idempotently and updates changed rows', async () => {
    const table = await input('directors', duckdbColumns('directors'), moviesRows('directors'));
    const config = { table: 'directors_upsert', write_mode: 'upsert', primary_key: 'id', batch_size: 7 };
    await write(table, config);
    const first = await select('SELECT * FROM directors_upsert ORDER BY id');
    await write(table, config);
    expect(await select('SELECT * FROM directors_upsert ORDER BY id')).toEqual(first);
    expect(first).toHaveLength(40);

    const changed = moviesRows('directors').slice(0, 2);
    changed[0]![4] = 9;
    changed.push([41, "Nora O'Neill", 1991, 'Irish', 0]);
    await write(await input('changed', duckdbColumns('directors'), changed), config);
    const after = await select('SELECT * FROM directors_upsert ORDER BY id');
    expect(after).toHaveLength(41);
    expect(after[0]).toMatchObject({ name: 'Ava DuVernay', awards: 9 });
    expect(after[40]).toMatchObject({ name: "Nora O'Neill" });
    expect(after.slice(1, 40)).toEqual(first.slice(1, 40));
  });

  it('replaces the rows by swapping in a staging table', async () => {
    const all = await input('all-directors', duckdbColumns('directors'), moviesRows('directors'));
    await write(all, { table: 'directors_replace', write_mode: 'replace', primary_key: 'id' });
    expect(await select('SELECT COUNT(*) AS n FROM directors_replace')).toEqual([{ n: '40' }]);
    const few = await input('few-directors', duckdbColumns('directors'), moviesRows('directors').slice(0, 5));
    const result = await write(few, { table: 'directors_replace', write_mode: 'replace', primary_key: 'id' });
    expect(result.rows).toBe(5);
    expect((await select('SELECT id FROM directors_replace ORDER BY id')).map((row) => row.id)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(await leftoverTables()).toEqual([]);
  });

  it('drops the staging tables a killed replace left, keeps one a live session still holds', async () => {
    const all = await input('stale-directors', duckdbColumns('directors'), moviesRows('directors'));
    await write(all, { table: 'directors_stale', write_mode: 'replace', primary_key: 'id' });
    // A run killed mid-replace leaves its staging table; its session (and lock) died with it.
    await admin.query('CREATE TABLE directors_stale__osiris_new_deadbeef LIKE directors_stale');
    await admin.query('CREATE TABLE directors_stale__osiris_old_feedf00d LIKE directors_stale');
    // A live session (another run mid-load) holds the lock of its staging table.
    const live = await openMysql(facts);
    try {
      await admin.query('CREATE TABLE directors_stale__osiris_new_0badcafe LIKE directors_stale');
      await live.query('SELECT GET_LOCK(?, 0)', [
        helperLockName(facts.database!, 'directors_stale__osiris_new_0badcafe'),
      ]);
      const ctx = run.context('write', { connection: mysqlConnection(facts) });
      const result = await writer.run({
        stepId: 'write',
        config: {
          connection: '@mysql.test',
          table: 'directors_stale',
          write_mode: 'replace',
          primary_key: 'id',
        },
        inputs: [{ stepId: 'upstream', table: all }],
        ctx,
      });
      expect(result.rows).toBe(40);
      expect(await leftoverTables()).toEqual(['directors_stale__osiris_new_0badcafe']);
      const dropped = ctx.recorded.events
        .filter((event) => event.name === 'stale_staging_dropped')
        .map((event) => event.fields.table)
        .sort();
      expect(dropped).toEqual([
        `${facts.database}.directors_stale__osiris_new_deadbeef`,
        `${facts.database}.directors_stale__osiris_old_feedf00d`,
      ]);
    } finally {
      await live.end();
      await admin.query('DROP TABLE IF EXISTS directors_stale__osiris_new_0badcafe');
    }
  });

  it('takes turns when two replaces write one table at once: both succeed, one copy of the rows', async () => {
    const columns: ColumnInfo[] = [
      { name: 'id', type: 'INTEGER' },
      { name: 'title', type: 'VARCHAR' },
    ];
    const rows = Array.from({ length: 20_000 }, (_, i) => [i + 1, `title ${i + 1}`]);
    const table = await input('concurrent', columns, rows);
    await admin.query('CREATE TABLE audited (id INT PRIMARY KEY, title VARCHAR(40))');
    await admin.query('CREATE TABLE plain_target (id INT PRIMARY KEY, title VARCHAR(40))');
    await admin.query('CREATE TRIGGER audited_insert AFTER INSERT ON audited FOR EACH ROW SET @seen = 1');
    // A missing table (both would create it), a plain table (staging + rename) and a table with a
    // trigger (replaced in place with DELETE + INSERT).
    for (const target of ['appearing', 'plain_target', 'audited']) {
      const config = { table: target, write_mode: 'replace', primary_key: 'id', batch_size: 500 };
      const results = await Promise.allSettled([write(table, config), write(table, config)]);
      expect(
        results.map((result) => (result.status === 'fulfilled' ? result.value.rows : result.reason)),
      ).toEqual([rows.length, rows.length]);
      expect(await select(`SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM ${target}`)).toEqual([
        { n: String(rows.length), ids: String(rows.length) },
      ]);
    }
    expect(await leftoverTables()).toEqual([]);
  });

  it('gives up with E_TARGET_LOCKED when another run keeps the table past lock_timeout', async () => {
    const table = await input('locked', duckdbColumns('directors'), moviesRows('directors').slice(0, 3));
    await write(table, { table: 'locked_target', write_mode: 'replace', primary_key: 'id' });
    const holder = await openMysql(facts);
    try {
      const [held] = (await holder.query('SELECT GET_LOCK(?, 10) AS got', [
        targetLockName(facts.database, 'locked_target'),
      ])) as unknown as [Record<string, unknown>[]];
      expect(held[0]?.got).toBe(1);
      const few = await input('locked-few', duckdbColumns('directors'), moviesRows('directors').slice(0, 1));
      const error = await failure(
        write(few, { table: 'locked_target', write_mode: 'replace', primary_key: 'id', lock_timeout: 1 }),
      );
      expect(error.code).toBe('E_TARGET_LOCKED');
      expect(error.message).toMatch(/another run is writing to .*locked_target/);
      expect(error.hint).toMatch(/lock_timeout/);
    } finally {
      await holder.end();
    }
    expect(await select('SELECT COUNT(*) AS n FROM locked_target')).toEqual([{ n: '3' }]);
  });

  it('leaves the target unchanged when a replace fails', async () => {
    await admin.query(
      'CREATE TABLE short_names (id INT PRIMARY KEY, name VARCHAR(12) NOT NULL, birth_year INT)',
    );
    await admin.query("INSERT INTO short_names VALUES (1, 'Old One', 1950), (2, 'Old Two', 1960)");
    const before = await select('SELECT * FROM short_names ORDER BY id');
    // Later rows have names longer than 12 characters: the load fails part-way (strict mode).
    const rows = moviesRows('directors').map((row) => [row[0], row[1], row[2]]);
    const columns = duckdbColumns('directors').slice(0, 3);
    const table = await input('long-names', columns, rows);
    const error = await failure(
      write(table, { table: 'short_names', write_mode: 'replace', primary_key: 'id', batch_size: 2 }),
    );
    expect(error.code).toBe('E_WRITE_FAILED');
    expect(error.hint).toMatch(/does not fit/);
    expect(await select('SELECT * FROM short_names ORDER BY id')).toEqual(before);
    expect(await leftoverTables()).toEqual([]);
  });

  it('replaces a referenced table in place, and refuses to orphan its children', async () => {
    await admin.query('CREATE TABLE parents (id INT PRIMARY KEY, name VARCHAR(40))');
    await admin.query(
      'CREATE TABLE children (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES parents (id))',
    );
    await admin.query("INSERT INTO parents VALUES (1, 'one'), (2, 'two')");
    const columns: ColumnInfo[] = [
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'VARCHAR' },
    ];
    const table = await input('parents', columns, [
      [1, 'uno'],
      [3, 'tres'],
    ]);
    await write(table, { table: 'parents', write_mode: 'replace', primary_key: 'id' });
    expect(await select('SELECT * FROM parents ORDER BY id')).toEqual([
      { id: 1, name: 'uno' },
      { id: 3, name: 'tres' },
    ]);
    await admin.query('INSERT INTO children VALUES (10, 3)');
    const orphaning = await input('orphaning', columns, [[1, 'only']]);
    const error = await failure(
      write(orphaning, { table: 'parents', write_mode: 'replace', primary_key: 'id' }),
    );
    expect(error.hint).toMatch(/upsert/);
    expect(await select('SELECT COUNT(*) AS n FROM parents')).toEqual([{ n: '2' }]);
  });

  it('rolls an append back entirely when one batch fails', async () => {
    await admin.query('CREATE TABLE append_target (id INT PRIMARY KEY, name VARCHAR(120) NOT NULL)');
    await admin.query("INSERT INTO append_target VALUES (35, 'already here')");
    const columns = duckdbColumns('directors').slice(0, 2);
    const table = await input(
      'append',
      columns,
      moviesRows('directors').map((row) => [row[0], row[1]]),
    );
    const error = await failure(write(table, { table: 'append_target', batch_size: 5 }));
    expect(error.code).toBe('E_WRITE_FAILED');
    expect(error.hint).toMatch(/upsert/);
    expect(await select('SELECT * FROM append_target')).toEqual([{ id: 35, name: 'already here' }]);
  });

  it('explains targets that cannot take the input', async () => {
    const table = await input(
      'small',
      [
        { name: 'id', type: 'INTEGER' },
        { name: 'extra', type: 'VARCHAR' },
      ],
      [[1, 'x']],
    );
    const missing = await failure(write(table, { table: 'nowhere', create_if_missing: false }));
    expect(missing.message).toContain('does not exist');
    expect(missing.hint).toMatch(/create_if_missing/);

    await admin.query('CREATE TABLE no_key (id INT, extra TEXT)');
    const noKey = await failure(write(table, { table: 'no_key', write_mode: 'upsert', primary_key: 'id' }));
    expect(noKey.hint).toMatch(/ADD PRIMARY KEY/);

    await admin.query('CREATE TABLE fewer_columns (id INT PRIMARY KEY)');
    const fewer = await failure(write(table, { table: 'fewer_columns', schema_change: 'freeze' }));
    expect(fewer.message).toContain('extra');
  });

  it('reports a wrong password as E_AUTH_FAILED without the password', async () => {
    const table = await input('auth', [{ name: 'id', type: 'INTEGER' }], [[1]]);
    const wrongPassword = 'Wr0ng-writer-password';
    const error = await failure(
      write(table, { table: 'auth_target' }, { facts: { ...facts, password: wrongPassword } }),
    );
    expect(error.code).toBe('E_AUTH_FAILED');
    const text = JSON.stringify({ message: error.message, hint: error.hint });
    expect(text).not.toContain(wrongPassword);
    expect(text).not.toContain(TEST_SERVER_PASSWORD);
  });
});
