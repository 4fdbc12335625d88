import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  discoverDatabase,
  runReadonlyQuery,
  sampleTable,
  searchValues,
} from '../../src/composition/builtins.js';
import { buildMoviesDuckdb, buildMoviesSqlite, makeDiscoveryProject } from './discovery-fixtures.js';
import { expectAvaDuVernayFound, expectMoviesCatalog, tableOf } from './movies-expectations.js';

const CONNECTIONS = `version: 1
connections:
  duckdb:
    movies:
      path: data/movies.duckdb
  sqlite:
    movies:
      path: data/movies.sqlite
    broken:
      path: data/broken.sqlite
  filesystem:
    csv:
      base_path: data/csv
`;

let projectDir: string;

beforeAll(async () => {
  projectDir = await makeDiscoveryProject(CONNECTIONS);
  await buildMoviesDuckdb(path.join(projectDir, 'data', 'movies.duckdb'));
  await buildMoviesSqlite(path.join(projectDir, 'data', 'movies.sqlite'));
  await buildMoviesSqlite(path.join(projectDir, 'data', 'broken.sqlite'), [
    'CREATE TABLE scratch (a INTEGER)',
    'CREATE VIEW broken_view AS SELECT a FROM scratch',
    'DROP TABLE scratch',
    'CREATE VIEW director_names AS SELECT id, name FROM directors',
  ]);
  await mkdir(path.join(projectDir, 'data', 'csv'), { recursive: true });
  await writeFile(
    path.join(projectDir, 'data', 'csv', 'people.csv'),
    'id,name,born,city\n1,Ava DuVernay,1972-08-24,Long Beach\n2,"Reid, Callum",1990-01-02,Glasgow\n',
  );
  await writeFile(path.join(projectDir, 'data', 'csv', 'scores.csv'), 'person_id;score\n1;9.5\n2;7.25\n');
  await writeFile(path.join(projectDir, 'data', 'csv', 'notes.txt'), 'not a table');
}, 120_000);

describe.each(['@duckdb.movies', '@sqlite.movies'])('discovery of %s', (ref) => {
  it('lists the tables, columns, primary and foreign keys, with sample rows', async () => {
    const profile = await discoverDatabase({ projectDir, ref, samples: 3, refresh: true });
    expect(profile).toMatchObject({ connection: ref, cached: false, schemas: ['main'] });
    expect(profile.family).toBe(ref.slice(1).split('.')[0]);
    expect(profile.server_version).toMatch(/^(DuckDB|SQLite) /);
    expectMoviesCatalog(profile);
    const directors = tableOf(profile, 'directors');
    expect(directors.sample?.rows).toHaveLength(3);
    expect(directors.sample?.rows[0]).toMatchObject({ id: 1, name: 'Ava DuVernay', birth_year: 1972 });
    expect(directors.sample?.columns.map((column) => column.name)).toEqual([
      'id',
      'name',
      'birth_year',
      'nationality',
      'awards',
    ]);
    // Profiles are JSON as they are: no bigint, no Date.
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
  });

  it('finds Ava DuVernay and her films through the foreign key', async () => {
    const result = await searchValues({ projectDir, ref, text: 'Ava DuVernay' });
    expect(result.timed_out).toBe(false);
    expect(result.searched_tables).toBeGreaterThanOrEqual(5);
    expectAvaDuVernayFound(result);
  });

  it('samples progressively and says when there are more rows', async () => {
    const ten = await sampleTable({ projectDir, ref, table: 'movies' });
    expect(ten.rows).toHaveLength(10);
    expect(ten.truncated).toBe(true);
    const hundred = await sampleTable({ projectDir, ref, table: 'movies', rows: 100 });
    expect(hundred.rows).toHaveLength(100);
    const thousand = await sampleTable({ projectDir, ref, table: 'movies', rows: 1000 });
    expect(thousand.rows).toHaveLength(150);
    expect(thousand.truncated).toBe(false);
    await expect(sampleTable({ projectDir, ref, table: 'movies', rows: 5000 })).rejects.toMatchObject({
      code: 'E_USAGE',
    });
    await expect(sampleTable({ projectDir, ref, table: 'movie' })).rejects.toMatchObject({
      code: 'E_USAGE',
      hint: expect.stringContaining('movies'),
    });
  });

  it('runs a read-only query with a row cap', async () => {
    const result = await runReadonlyQuery({
      projectDir,
      ref,
      sql: 'SELECT m.id, d.id, m.title FROM movies m JOIN directors d ON d.id = m.director_id ORDER BY m.id;',
      maxRows: 5,
    });
    expect(result.rows).toHaveLength(5);
    expect(result.truncated).toBe(true);
    expect(result.columns.map((column) => column.name)).toEqual(['id', 'id_2', 'title']);
  });

  it.each([
    "INSERT INTO directors (id, name, awards) VALUES (999, 'Nobody', 0)",
    'DELETE FROM reviews',
    'DROP TABLE reviews',
    'CREATE TABLE intruder (a INTEGER)',
  ])('refuses to write: %s', async (sql) => {
    await expect(runReadonlyQuery({ projectDir, ref, sql })).rejects.toMatchObject({
      code: 'E_READ_ONLY_VIOLATION',
    });
    const count = await runReadonlyQuery({ projectDir, ref, sql: 'SELECT count(*) AS n FROM reviews' });
    expect(Number(count.rows[0]?.n)).toBeGreaterThan(0);
  });
});

describe('DuckDB files stay untouched', () => {
  it('cannot write files through COPY, even though the database is read-only', async () => {
    const target = path.join(projectDir, 'leak.csv');
    await expect(
      runReadonlyQuery({ projectDir, ref: '@duckdb.movies', sql: `COPY directors TO '${target}'` }),
    ).rejects.toMatchObject({ code: 'E_READ_ONLY_VIOLATION' });
    await expect(
      runReadonlyQuery({ projectDir, ref: '@duckdb.movies', sql: `SELECT * FROM read_csv('${target}')` }),
    ).rejects.toMatchObject({ code: 'E_QUERY_FAILED' });
  });
});

describe('a SQLite database with a broken view', () => {
  it('profiles everything else and records the failure on the view', async () => {
    const profile = await discoverDatabase({ projectDir, ref: '@sqlite.broken', refresh: true });
    expectMoviesCatalog(profile);
    const broken = tableOf(profile, 'broken_view');
    expect(broken.kind).toBe('view');
    expect(broken.error).toMatchObject({
      code: expect.stringMatching(/^E_/),
      message: expect.stringContaining('scratch'),
    });
    const names = tableOf(profile, 'director_names');
    expect(names.error).toBeUndefined();
    expect(names.columns.map((column) => column.name)).toEqual(['id', 'name']);
    expect(names.sample?.rows).toHaveLength(10);
    expect(profile.warnings.join('\n')).toMatch(/table by table/);
  });
});

describe('a folder of CSV files', () => {
  it('is a database with one table per file, typed by DuckDB', async () => {
    const profile = await discoverDatabase({ projectDir, ref: '@filesystem.csv', refresh: true });
    expect(profile.family).toBe('filesystem');
    expect(profile.tables.map((table) => [table.name, table.kind])).toEqual([
      ['people', 'table'],
      ['scores', 'table'],
    ]);
    const people = tableOf(profile, 'people');
    expect(people.columns.map((column) => [column.name, column.type])).toEqual([
      ['id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['born', 'DATE'],
      ['city', 'VARCHAR'],
    ]);
    expect(people.sample?.rows[1]).toEqual({
      id: '2',
      name: 'Reid, Callum',
      born: '1990-01-02',
      city: 'Glasgow',
    });
    expect(tableOf(profile, 'scores').columns.map((column) => column.type)).toEqual(['BIGINT', 'DOUBLE']);
  });

  it('searches the files', async () => {
    const result = await searchValues({ projectDir, ref: '@filesystem.csv', text: 'ava duvernay' });
    expect(result.hits).toEqual([
      expect.objectContaining({
        table: 'people',
        column: 'name',
        rows: [expect.objectContaining({ city: 'Long Beach' })],
      }),
    ]);
  });

  it('cannot create tables or write files', async () => {
    for (const sql of [
      'CREATE TABLE t AS SELECT 1',
      `COPY people TO '${path.join(projectDir, 'data', 'csv', 'copy.csv')}'`,
    ]) {
      await expect(runReadonlyQuery({ projectDir, ref: '@filesystem.csv', sql })).rejects.toMatchObject({
        code: 'E_READ_ONLY_VIOLATION',
      });
    }
  });
});
