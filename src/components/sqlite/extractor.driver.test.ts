import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { driver } from './extractor.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await mkdir(join(harness.projectDir, 'data'));
  const database = new Database(join(harness.projectDir, 'data', 'movies.db'));
  database.exec(`
    CREATE TABLE movies (
      id INTEGER PRIMARY KEY, title TEXT NOT NULL, rating DECIMAL(3,1), budget REAL,
      released DATE, added_at DATETIME, is_classic BOOLEAN, poster BLOB, views BIGINT
    );
    CREATE TABLE reviews (id INTEGER PRIMARY KEY, movie_id INTEGER, stars INTEGER);
    CREATE TABLE odd (stamp DATE);
    CREATE TABLE numbers (n INTEGER);
  `);
  const insert = database.prepare('INSERT INTO movies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run(
    1,
    'Selma 😀',
    7.5,
    20e6,
    '2014-12-25',
    '2014-12-25 10:30:00',
    0,
    Buffer.from([1, 2, 3]),
    9007199254740993n,
  );
  insert.run(2, '13th', '8.2', null, null, null, 1, null, null);
  database.prepare('INSERT INTO reviews VALUES (?, ?, ?)').run(10, 1, 5);
  database.prepare('INSERT INTO odd VALUES (?)').run(1700000000);
  const number = database.prepare('INSERT INTO numbers VALUES (?)');
  database.transaction(() => {
    for (let n = 0; n < 25_000; n++) number.run(n);
  })();
  database.close();
});

afterEach(async () => {
  await harness.close();
});

async function read(table: string): Promise<{ types: string[]; rows: unknown[][] }> {
  const rows: unknown[][] = [];
  let types: string[] = [];
  for await (const chunk of harness.dataPlane.readChunks(table)) {
    types = chunk.columns.map((column) => `${column.name} ${column.type}`);
    rows.push(...chunk.rows);
  }
  return { types, rows };
}

describe('sqlite.extractor', () => {
  it('copies a table with types from the declarations, values exact', async () => {
    const { result } = await harness.run(driver, {
      stepId: 'movies',
      config: { path: 'data/movies.db', table: 'movies' },
    });
    expect(result).toEqual({ table: 'df_movies', rows: 2 });
    const { types, rows } = await read('df_movies');
    expect(types).toEqual([
      'id BIGINT',
      'title VARCHAR',
      'rating DECIMAL(3,1)',
      'budget DOUBLE',
      'released DATE',
      'added_at TIMESTAMP',
      'is_classic BOOLEAN',
      'poster BLOB',
      'views BIGINT',
    ]);
    expect(rows).toEqual([
      [
        1n,
        'Selma 😀',
        '7.5',
        20e6,
        '2014-12-25',
        '2014-12-25T10:30:00',
        false,
        Buffer.from([1, 2, 3]),
        9007199254740993n,
      ],
      [2n, '13th', '8.2', null, null, null, true, null, null],
    ]);
  });

  it('types expression columns from their values and renames duplicate names', async () => {
    const { result } = await harness.run(driver, {
      stepId: 'joined',
      config: {
        path: 'data/movies.db',
        query:
          "SELECT m.id, r.id, m.title || '!' AS shout, r.stars * 1.5 AS weighted, count(*) OVER () AS total FROM movies m JOIN reviews r ON r.movie_id = m.id",
      },
    });
    expect(result.rows).toBe(1);
    expect(await read('df_joined')).toEqual({
      types: ['id BIGINT', 'id_1 BIGINT', 'shout VARCHAR', 'weighted DOUBLE', 'total BIGINT'],
      rows: [[1n, 10n, 'Selma 😀!', 7.5, 1n]],
    });
  });

  it('falls back to the stored values when they contradict the declared type', async () => {
    await harness.run(driver, { stepId: 'odd', config: { path: 'data/movies.db', table: 'odd' } });
    expect(await read('df_odd')).toEqual({ types: ['stamp BIGINT'], rows: [[1700000000n]] });
  });

  it('streams in batches with progress, the path coming from the connection', async () => {
    const connection: ResolvedConnection = {
      family: 'sqlite',
      alias: 'demo',
      ref: '@sqlite.demo',
      fields: { path: 'data/movies.db' },
      secretFields: [],
    };
    const { result, ctx } = await harness.run(driver, {
      stepId: 'numbers',
      config: { connection: '@sqlite.demo', query: 'SELECT n FROM numbers ORDER BY n' },
      connection,
    });
    expect(result.rows).toBe(25_000);
    expect(ctx.recorded.progress.length).toBeGreaterThan(1);
    expect(ctx.recorded.progress.at(-1)).toBe(25_000);
    const rows = (await read('df_numbers')).rows;
    expect(rows.length).toBe(25_000);
    expect(rows.every((row, index) => row[0] === BigInt(index))).toBe(true);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    await expect(
      harness.run(driver, {
        stepId: 'aborted',
        config: { path: 'data/movies.db', table: 'numbers' },
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    ).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });

  it('explains a bad query with the tables the file has', async () => {
    const error = await harness
      .run(driver, { stepId: 'typo', config: { path: 'data/movies.db', query: 'SELECT * FROM movie' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_QUERY_FAILED' });
    expect((error as { hint: string }).hint).toBe('Tables in the file: movies, numbers, odd, reviews.');
  });

  it('reports missing files, paths outside the project and files that are not SQLite', async () => {
    await expect(
      harness.run(driver, { stepId: 'missing', config: { path: 'data/none.db', table: 'movies' } }),
    ).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND', details: { path: 'data/none.db' } });
    await expect(
      harness.run(driver, { stepId: 'escape', config: { path: '/etc/hosts', table: 'movies' } }),
    ).rejects.toMatchObject({ code: 'E_PATH_ESCAPE' });
    await writeFile(
      join(harness.projectDir, 'data', 'text.db'),
      'plain text that is long enough to not be a database header',
    );
    await expect(
      harness.run(driver, { stepId: 'text', config: { path: 'data/text.db', table: 'movies' } }),
    ).rejects.toMatchObject({ code: 'E_SOURCE_READ_FAILED' });
  });
});
