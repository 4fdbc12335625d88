import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { driver } from './extractor.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await mkdir(join(harness.projectDir, 'data'));
  const instance = await DuckDBInstance.create(join(harness.projectDir, 'data', 'movies.duckdb'));
  const connection = await instance.connect();
  await connection.run(`
    CREATE TABLE movies (id BIGINT, title VARCHAR, rating DECIMAL(3,1), released DATE);
    INSERT INTO movies VALUES (1, 'Selma', 7.5, '2014-12-25'), (2, '13th', 8.2, '2016-10-07'),
      (9007199254740993, 'Big Id', NULL, NULL);
    CREATE SCHEMA archive;
    CREATE TABLE archive.old_movies AS SELECT 'Metropolis' AS title;
  `);
  connection.closeSync();
  instance.closeSync();
});

afterEach(async () => {
  await harness.close();
});

async function rowsOf(table: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const chunk of harness.dataPlane.readChunks(table)) rows.push(...chunk.rows);
  return rows;
}

const movieConnection: ResolvedConnection = {
  family: 'duckdb',
  alias: 'movies',
  ref: '@duckdb.movies',
  fields: { path: 'data/movies.duckdb' },
  secretFields: [],
};

describe('duckdb.extractor', () => {
  it('runs a plain query against the file’s tables', async () => {
    const { result, ctx } = await harness.run(driver, {
      stepId: 'good-movies',
      config: {
        path: 'data/movies.duckdb',
        query: 'SELECT id, title, rating FROM movies WHERE rating > 8 ORDER BY id',
      },
    });
    expect(result).toEqual({ table: 'df_good_movies', rows: 1 });
    expect(ctx.recorded.progress).toEqual([1]);
    expect(await rowsOf('df_good_movies')).toEqual([[2n, '13th', '8.2']]);
  });

  it('without a database file runs the query in the data plane, still confined to the project', async () => {
    const { result } = await harness.run(driver, {
      stepId: 'numbers',
      config: { query: 'SELECT range AS n FROM range(3)' },
    });
    expect(result).toEqual({ table: 'df_numbers', rows: 3 });
    expect(await rowsOf('df_numbers')).toEqual([[0n], [1n], [2n]]);
    await expect(
      harness.run(driver, { stepId: 'escape', config: { query: "SELECT * FROM read_csv('/etc/passwd')" } }),
    ).rejects.toMatchObject({ code: 'E_QUERY_FAILED' });
  });

  it('copies a table, schema-qualified names included, with the path from the connection', async () => {
    const { result } = await harness.run(driver, {
      stepId: 'all-movies',
      config: { connection: '@duckdb.movies', table: 'movies' },
      connection: movieConnection,
    });
    expect(result.rows).toBe(3);
    expect(await rowsOf('df_all_movies')).toEqual([
      [1n, 'Selma', '7.5', '2014-12-25'],
      [2n, '13th', '8.2', '2016-10-07'],
      [9007199254740993n, 'Big Id', null, null],
    ]);
    const { result: archived } = await harness.run(driver, {
      stepId: 'archived',
      config: { path: 'data/movies.duckdb', table: 'archive.old_movies' },
    });
    expect(archived.rows).toBe(1);
  });

  it('lets steps running at once read the same file', async () => {
    const results = await Promise.all(
      ['first', 'second', 'third'].map((stepId) =>
        harness.run(driver, { stepId, config: { path: 'data/movies.duckdb', table: 'movies' } }),
      ),
    );
    expect(results.map(({ result }) => result.rows)).toEqual([3, 3, 3]);
    // the step connections went back to the data plane's own catalog
    expect(await harness.dataPlane.count('df_first')).toBe(3);
  });

  it('never writes to the source file', async () => {
    const error = await harness
      .run(driver, {
        stepId: 'sneaky',
        config: { path: 'data/movies.duckdb', query: 'SELECT 1; DELETE FROM movies' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_QUERY_FAILED' });
    const { result } = await harness.run(driver, {
      stepId: 'check',
      config: { path: 'data/movies.duckdb', table: 'movies' },
    });
    expect(result.rows).toBe(3);
  });

  it('explains a bad query with the tables the file has', async () => {
    const error = await harness
      .run(driver, { stepId: 'typo', config: { path: 'data/movies.duckdb', query: 'SELECT * FROM movie' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_QUERY_FAILED' });
    expect((error as { hint: string }).hint).toBe('Tables in the file: archive.old_movies, movies.');
  });

  it('reports a missing file with its project-relative path', async () => {
    await expect(
      harness.run(driver, { stepId: 'missing', config: { path: 'data/nope.duckdb', table: 'movies' } }),
    ).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND', details: { path: 'data/nope.duckdb' } });
  });

  it('refuses a path outside the project', async () => {
    await expect(
      harness.run(driver, { stepId: 'escape', config: { path: '../elsewhere.duckdb', table: 'movies' } }),
    ).rejects.toMatchObject({ code: 'E_PATH_ESCAPE' });
  });

  it('says so when the file is not a DuckDB database', async () => {
    await writeFile(join(harness.projectDir, 'data', 'notes.duckdb'), 'just some text, not a database');
    await expect(
      harness.run(driver, { stepId: 'not-duckdb', config: { path: 'data/notes.duckdb', table: 'movies' } }),
    ).rejects.toMatchObject({ code: 'E_SOURCE_READ_FAILED' });
  });
});
