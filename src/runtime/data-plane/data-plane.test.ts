import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../spec/driver.js';
import { createDataPlane, DATA_PLANE_FILE, type RunDataPlane } from './index.js';

let directory: string;
let dataPlane: RunDataPlane;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'osiris-data-plane-'));
  dataPlane = await createDataPlane({ directory, threads: 2 });
});

afterEach(async () => {
  await dataPlane.close();
  await rm(directory, { recursive: true, force: true });
});

async function* inBatches(rows: unknown[][], size: number): AsyncGenerator<unknown[][]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

async function readAll(
  source: string,
  chunkRows?: number,
): Promise<{ columns: ColumnInfo[]; rows: unknown[][] }> {
  let columns: ColumnInfo[] = [];
  const rows: unknown[][] = [];
  for await (const chunk of dataPlane.readChunks(source, chunkRows)) {
    columns = chunk.columns;
    rows.push(...chunk.rows);
  }
  return { columns, rows };
}

async function queryRows(sql: string): Promise<unknown[][]> {
  const connection = await dataPlane.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows();
  } finally {
    connection.closeSync();
  }
}

const everyType: ColumnInfo[] = [
  { name: 'big', type: 'BIGINT' },
  { name: 'huge', type: 'HUGEINT' },
  { name: 'amount', type: 'DECIMAL(38,10)' },
  { name: 'at', type: 'TIMESTAMP' },
  { name: 'at_zone', type: 'TIMESTAMPTZ' },
  { name: 'day', type: 'DATE' },
  { name: 'time_of_day', type: 'TIME' },
  { name: 'flag', type: 'BOOLEAN' },
  { name: 'bytes', type: 'BLOB' },
  { name: 'document', type: 'JSON' },
  { name: 'id', type: 'UUID' },
  { name: 'label', type: 'VARCHAR' },
  { name: 'ratio', type: 'DOUBLE' },
  { name: 'small', type: 'INTEGER' },
];

describe('appendRows → readChunks round trip', () => {
  it('keeps every common type exact, NULL included in each', async () => {
    const rows: unknown[][] = [
      [
        2n ** 53n + 1n,
        -(2n ** 127n),
        '12345678901234567890.1234567891',
        '2024-01-02T03:04:05.123456',
        '2024-01-02T03:04:05.123456+02:00',
        '2024-02-29',
        '23:59:59.999999',
        true,
        new Uint8Array([0, 255, 10]),
        { name: 'Zoë', n: 12345678901234567890n, list: [1, null] },
        'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
        'emoji 😀 and ünïcödé',
        0.1,
        -2_147_483_648,
      ],
      [
        '-9223372036854775808',
        '170141183460469231731687303715884105727',
        0.1,
        new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 500)),
        new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 123)),
        new Date(Date.UTC(1900, 0, 1)),
        '00:00',
        'false',
        'text as bytes',
        '[1,2,3]',
        '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
        '',
        '1e-7',
        '42',
      ],
      everyType.map(() => null),
    ];
    const appended = await dataPlane.appendRows('df_types', everyType, inBatches(rows, 2));
    expect(appended).toBe(3);

    // What DuckDB itself stored, independent of our reader:
    const stored = await queryRows(
      `SELECT ${everyType.map((column) => `CAST("${column.name}" AS VARCHAR)`).join(', ')} FROM df_types`,
    );
    expect(stored[0]).toEqual([
      '9007199254740993',
      '-170141183460469231731687303715884105728',
      '12345678901234567890.1234567891',
      '2024-01-02 03:04:05.123456',
      '2024-01-02 01:04:05.123456+00',
      '2024-02-29',
      '23:59:59.999999',
      'true',
      '\\x00\\xFF\\x0A',
      '{"name":"Zoë","n":12345678901234567890,"list":[1,null]}',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      'emoji 😀 and ünïcödé',
      '0.1',
      '-2147483648',
    ]);
    expect(stored[1]).toEqual([
      '-9223372036854775808',
      '170141183460469231731687303715884105727',
      '0.1000000000',
      '1969-12-31 23:59:59.5',
      '2024-01-02 03:04:05.123+00',
      '1900-01-01',
      '00:00:00',
      'false',
      'text as bytes',
      '[1,2,3]',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '',
      '1e-07',
      '42',
    ]);
    expect(stored[2]).toEqual(everyType.map(() => null));

    const { columns, rows: read } = await readAll('df_types');
    expect(columns.map((column) => column.type)).toEqual([
      'BIGINT',
      'HUGEINT',
      'DECIMAL(38,10)',
      'TIMESTAMP',
      'TIMESTAMP WITH TIME ZONE',
      'DATE',
      'TIME',
      'BOOLEAN',
      'BLOB',
      'JSON',
      'UUID',
      'VARCHAR',
      'DOUBLE',
      'INTEGER',
    ]);
    expect(read[0]).toEqual([
      9007199254740993n,
      -(2n ** 127n),
      '12345678901234567890.1234567891',
      '2024-01-02T03:04:05.123456',
      '2024-01-02T01:04:05.123456Z',
      '2024-02-29',
      '23:59:59.999999',
      true,
      Buffer.from([0, 255, 10]),
      '{"name":"Zoë","n":12345678901234567890,"list":[1,null]}',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      'emoji 😀 and ünïcödé',
      0.1,
      -2_147_483_648,
    ]);
    expect(read[1]).toEqual([
      -(2n ** 63n),
      2n ** 127n - 1n,
      '0.1000000000',
      '1969-12-31T23:59:59.5',
      '2024-01-02T03:04:05.123Z',
      '1900-01-01',
      '00:00:00',
      false,
      Buffer.from('text as bytes'),
      '[1,2,3]',
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '',
      1e-7,
      42,
    ]);
    expect(read[2]).toEqual(everyType.map(() => null));
  });

  it('reads values DuckDB computed itself, nested types included', async () => {
    const { rows } = await readAll(
      `SELECT 9007199254740993::BIGINT AS big, 1.50::DECIMAL(10,2) AS price, -0.05::DECIMAL(4,2) AS loss,
        TIMESTAMP '2024-01-02 03:04:05' AS whole_second, TIMESTAMP_NS '2024-01-02 03:04:05.123456789' AS nanos,
        'infinity'::TIMESTAMP AS forever, '12345-06-07'::DATE AS far, TIMETZ '03:04:05+05:30' AS with_offset,
        [1, NULL, 3] AS list, {'a': 1.5::DECIMAL(3,1), 'b': [DATE '2024-01-02']} AS record,
        MAP {'k': 1} AS mapping, INTERVAL 1 DAY AS span, '{"x": 1}'::JSON AS document`,
    );
    expect(rows).toEqual([
      [
        9007199254740993n,
        '1.50',
        '-0.05',
        '2024-01-02T03:04:05',
        '2024-01-02T03:04:05.123456789',
        'infinity',
        '+012345-06-07',
        '03:04:05+05:30',
        [1, null, 3],
        { a: '1.5', b: ['2024-01-02'] },
        [{ key: 'k', value: 1 }],
        '1 day',
        '{"x": 1}',
      ],
    ]);
  });

  it('appends 200k rows in batches and reads them back in exact chunks', async () => {
    const total = 200_000;
    async function* generate(): AsyncGenerator<unknown[][]> {
      for (let start = 0; start < total; start += 3_000) {
        const batch: unknown[][] = [];
        for (let index = start; index < Math.min(total, start + 3_000); index++) {
          batch.push([BigInt(index) * 1_000_000_007n, `row ${index}`, `${index}.25`]);
        }
        yield batch;
      }
    }
    const progress: number[] = [];
    const columns = [
      { name: 'id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DECIMAL(18,2)' },
    ];
    const appended = await dataPlane.appendRows('df_many', columns, generate(), (rows) =>
      progress.push(rows),
    );
    expect(appended).toBe(total);
    expect(progress.at(-1)).toBe(total);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await dataPlane.count('df_many')).toBe(total);

    const chunkSizes: number[] = [];
    let expected = 0;
    const mismatches: unknown[][] = [];
    for await (const chunk of dataPlane.readChunks('df_many', 5_000)) {
      chunkSizes.push(chunk.rows.length);
      for (const row of chunk.rows) {
        const matches =
          row[0] === BigInt(expected) * 1_000_000_007n &&
          row[1] === `row ${expected}` &&
          row[2] === `${expected}.25`;
        if (!matches) mismatches.push(row);
        expected++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(expected).toBe(total);
    expect(chunkSizes).toEqual(new Array(40).fill(5_000));
    expect(await queryRows('SELECT sum(amount)::VARCHAR FROM df_many')).toEqual([['19999950000.00']]);
  });

  it('yields one empty chunk with the columns when there are no rows', async () => {
    const chunks = [];
    for await (const chunk of dataPlane.readChunks(
      'SELECT 1::INTEGER AS one, 2::BIGINT AS two WHERE false',
    )) {
      chunks.push(chunk);
    }
    expect(chunks).toEqual([
      {
        columns: [
          { name: 'one', type: 'INTEGER' },
          { name: 'two', type: 'BIGINT' },
        ],
        rows: [],
      },
    ]);
  });
});

describe('identifiers', () => {
  it('quotes odd table and column names everywhere', async () => {
    const table = 'odd "table"; DROP TABLE x --';
    const columns = [
      { name: 'Mixed Case', type: 'INTEGER' },
      { name: 'with "quotes"', type: 'VARCHAR' },
      { name: 'émoji 😀', type: 'VARCHAR' },
      { name: 'select', type: 'VARCHAR' },
    ];
    await dataPlane.appendRows(table, columns, inBatches([[1, 'a', 'b', 'c']], 10));
    expect(await dataPlane.count(table)).toBe(1);
    expect(await dataPlane.columns(table)).toEqual(
      columns.map((column) => ({ name: column.name, type: column.type, nullable: true })),
    );
    expect(dataPlane.quote(table)).toBe('"odd ""table""; DROP TABLE x --"');
    const { columns: read, rows } = await readAll(`SELECT * FROM ${dataPlane.quote(table)}`);
    expect(read.map((column) => column.name)).toEqual(columns.map((column) => column.name));
    expect(rows).toEqual([[1, 'a', 'b', 'c']]);
  });

  it('names step tables df_<id> with - and . replaced', () => {
    expect(dataPlane.tableFor('load-users.v2')).toBe('df_load_users_v2');
    expect(dataPlane.tableFor('extract_movies')).toBe('df_extract_movies');
  });

  it('refuses columns whose names collide', async () => {
    const columns = [
      { name: 'id', type: 'INTEGER' },
      { name: 'ID', type: 'INTEGER' },
    ];
    await expect(dataPlane.appendRows('df_dup', columns, inBatches([], 1))).rejects.toMatchObject({
      code: 'E_SOURCE_READ_FAILED',
    });
  });
});

describe('conversion errors', () => {
  it('names the row, the column and what was expected', async () => {
    const columns = [
      { name: 'id', type: 'BIGINT' },
      { name: 'price', type: 'DECIMAL(5,2)' },
    ];
    const rows = [
      [1, '1.00'],
      [2, '1234.5'],
    ];
    const error = await dataPlane
      .appendRows('df_bad', columns, inBatches(rows, 10))
      .catch((caught) => caught);
    expect(error).toMatchObject({
      code: 'E_SOURCE_READ_FAILED',
      details: { column: 'price', row: 2, type: 'DECIMAL(5,2)' },
    });
    expect(error.message).toContain('Row 2, column "price"');
    expect(error.message).not.toContain('1234.5');
  });

  it('refuses text that is not a timestamp, and out-of-range integers', async () => {
    await expect(
      dataPlane.appendRows('df_bad_time', [{ name: 'at', type: 'TIMESTAMP' }], inBatches([['yesterday']], 1)),
    ).rejects.toMatchObject({ code: 'E_SOURCE_READ_FAILED', details: { row: 1, column: 'at' } });
    await expect(
      dataPlane.appendRows('df_bad_small', [{ name: 'n', type: 'SMALLINT' }], inBatches([[40_000]], 1)),
    ).rejects.toMatchObject({ code: 'E_SOURCE_READ_FAILED' });
  });

  it('refuses an invalid Date in a VARCHAR column instead of storing "Invalid Date"', async () => {
    const rows = [[new Date('2024-01-02T03:04:05Z')], [new Date('not a date')]];
    const error = await dataPlane
      .appendRows('df_bad_date_text', [{ name: 'label', type: 'VARCHAR' }], inBatches(rows, 10))
      .catch((caught) => caught);
    expect(error).toMatchObject({
      code: 'E_SOURCE_READ_FAILED',
      details: { row: 2, column: 'label', received: 'an invalid Date' },
    });
  });
});

describe('concurrency and lifecycle', () => {
  it('keeps two streaming reads and a statement from cutting each other short', async () => {
    await dataPlane.run('CREATE TABLE df_range AS SELECT range AS n FROM range(30000)');
    const first = dataPlane.readChunks('df_range', 2_000)[Symbol.asyncIterator]();
    const second = dataPlane
      .readChunks('SELECT n * 2 AS doubled FROM df_range', 2_000)
      [Symbol.asyncIterator]();
    let firstRows = 0;
    let secondRows = 0;
    for (;;) {
      const [a, b] = await Promise.all([first.next(), second.next()]);
      await dataPlane.run('CREATE OR REPLACE TABLE df_other AS SELECT 1 AS x');
      if (!a.done) firstRows += a.value.rows.length;
      if (!b.done) secondRows += b.value.rows.length;
      if (a.done && b.done) break;
    }
    expect(firstRows).toBe(30_000);
    expect(secondRows).toBe(30_000);
  });

  it('reports SQL errors as E_QUERY_FAILED', async () => {
    await expect(dataPlane.run('SELECT * FROM missing_table')).rejects.toMatchObject({
      code: 'E_QUERY_FAILED',
    });
    await expect(dataPlane.columns('missing_table')).rejects.toMatchObject({ code: 'E_QUERY_FAILED' });
    // the queue keeps working after a failure
    await dataPlane.run('CREATE TABLE df_after AS SELECT 1 AS x');
    expect(await dataPlane.count('df_after')).toBe(1);
  });

  it('deletes the database file on close and can be closed twice', async () => {
    await dataPlane.run('CREATE TABLE df_x AS SELECT 1 AS x');
    expect(existsSync(join(directory, DATA_PLANE_FILE))).toBe(true);
    await dataPlane.close();
    await dataPlane.close();
    expect(existsSync(join(directory, DATA_PLANE_FILE))).toBe(false);
    dataPlane = await createDataPlane({ directory });
  });

  it('starts empty even when an earlier run left its database behind', async () => {
    const leftOverDirectory = join(directory, 'left-over');
    await mkdir(leftOverDirectory);
    const crashed = await DuckDBInstance.create(join(leftOverDirectory, DATA_PLANE_FILE));
    const connection = await crashed.connect();
    await connection.run('CREATE TABLE df_left_over AS SELECT 1 AS x');
    connection.closeSync();
    crashed.closeSync();
    const fresh = await createDataPlane({ directory: leftOverDirectory });
    try {
      await expect(fresh.count('df_left_over')).rejects.toMatchObject({ code: 'E_QUERY_FAILED' });
    } finally {
      await fresh.close();
    }
  });

  it('confines SQL file access to the allowed folders when asked', async () => {
    const project = join(directory, 'project');
    await mkdir(project);
    await writeFile(join(project, 'inside.csv'), 'a\n1\n');
    const confined = await createDataPlane({
      directory: join(directory, 'confined'),
      allowedDirectories: [project],
    });
    try {
      await confined.run(
        `CREATE TABLE df_inside AS SELECT * FROM read_csv('${join(project, 'inside.csv')}')`,
      );
      expect(await confined.count('df_inside')).toBe(1);
      await expect(confined.run("SELECT * FROM read_csv('/etc/passwd')")).rejects.toMatchObject({
        code: 'E_QUERY_FAILED',
      });
      await expect(
        confined.run(`COPY (SELECT 1) TO '${join(directory, 'outside.csv')}'`),
      ).rejects.toMatchObject({
        code: 'E_QUERY_FAILED',
      });
      await expect(confined.run('SET enable_external_access = true')).rejects.toMatchObject({
        code: 'E_QUERY_FAILED',
      });
      expect(existsSync(join(directory, 'outside.csv'))).toBe(false);
    } finally {
      await confined.close();
    }
  });

  it('handles more data than its memory limit by spilling into its folder', async () => {
    const small = await createDataPlane({
      directory: join(directory, 'small'),
      memoryLimit: '40MB',
      threads: 1,
    });
    try {
      await small.run(
        'CREATE TABLE df_big AS SELECT range AS n, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS s FROM range(1500000)',
      );
      await small.run('CREATE TABLE df_sorted AS SELECT * FROM df_big ORDER BY s');
      expect(await small.count('df_sorted')).toBe(1_500_000);
      // DuckDB creates its temp folder only when it has to spill.
      expect(existsSync(join(directory, 'small', 'spill'))).toBe(true);
    } finally {
      await small.close();
    }
    expect(existsSync(join(directory, 'small', 'spill'))).toBe(false);
  });
});
