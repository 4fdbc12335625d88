import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  discoverDatabase,
  runReadonlyQuery,
  sampleTable,
  searchValues,
} from '../../src/composition/builtins.js';
import { type DatabaseServerFacts, describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { connectionsFile, makeDiscoveryProject, serverConnectionYaml } from './discovery-fixtures.js';
import { expectAvaDuVernayFound, expectMoviesCatalog, tableOf } from './movies-expectations.js';

const SCRATCH_DATABASE = 'discovery_partial';

describeIfServers('mysql', 'discovery on MariaDB', () => {
  let facts: DatabaseServerFacts;
  let projectDir: string;
  let env: Record<string, string | undefined>;
  let admin: mysql.Connection;

  beforeAll(async () => {
    facts = requireTestServer('mysql');
    env = { ...process.env, MOVIES_DB_PASSWORD: facts.password };
    projectDir = await makeDiscoveryProject(
      connectionsFile({
        mysql: [
          serverConnectionYaml('movies', facts, { passwordVariable: 'MOVIES_DB_PASSWORD' }),
          serverConnectionYaml('partial', facts, {
            passwordVariable: 'MOVIES_DB_PASSWORD',
            database: SCRATCH_DATABASE,
          }),
        ],
      }),
    );
    admin = await mysql.createConnection({ ...facts, multipleStatements: true });
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE}`);
    await admin.query(`CREATE DATABASE ${SCRATCH_DATABASE}`);
    await admin.query(`
      USE ${SCRATCH_DATABASE};
      CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL);
      INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');
      CREATE TABLE scratch (a INT);
      CREATE VIEW broken_view AS SELECT a FROM scratch;
      DROP TABLE scratch;
      CREATE VIEW customer_names AS SELECT name FROM customers;
      USE ${facts.database};`);
  });

  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE}`);
    await admin?.end();
  });

  it('reports tables, columns, primary and foreign keys of the movies database', async () => {
    const profile = await discoverDatabase({ projectDir, env, ref: '@mysql.movies', refresh: true });
    expect(profile).toMatchObject({
      connection: '@mysql.movies',
      family: 'mysql',
      schemas: [facts.database],
    });
    expect(profile.server_version).toMatch(/^MariaDB \d+\.\d+/);
    expectMoviesCatalog(profile);
    expect(tableOf(profile, 'directors').columns[1]).toEqual({
      name: 'name',
      type: 'varchar(120)',
      nullable: false,
      default: null,
    });
    expect(tableOf(profile, 'movies').foreign_keys[0]?.references.schema).toBe(facts.database);
    const sample = tableOf(profile, 'reviews').sample;
    expect(sample?.rows).toHaveLength(10);
    // DECIMAL stays exact text, DATE stays ISO text.
    expect(sample?.rows[0]).toMatchObject({ rating: expect.stringMatching(/^\d+\.\d$/) });
    expect(sample?.rows.find((row) => row.review_date !== null)?.review_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sample?.columns.find((column) => column.name === 'rating')?.type).toBe('decimal');
  });

  it('finds Ava DuVernay with her facts, and Selma through the foreign key', async () => {
    const result = await searchValues({ projectDir, env, ref: '@mysql.movies', text: 'Ava DuVernay' });
    expectAvaDuVernayFound(result);
    const again = await searchValues({ projectDir, env, ref: '@mysql.movies', text: 'ava duvernay' });
    expect(again.catalog_cached).toBe(true);
    expect(again.hits).toEqual(result.hits);
  });

  it('records a broken view and keeps discovering the rest', async () => {
    const profile = await discoverDatabase({ projectDir, env, ref: '@mysql.partial', refresh: true });
    expect(profile.tables.map((table) => table.name)).toEqual(['broken_view', 'customer_names', 'customers']);
    const broken = tableOf(profile, 'broken_view');
    expect(broken).toMatchObject({ kind: 'view', columns: [], error: { code: 'E_DISCOVERY_FAILED' } });
    expect(broken.error?.message).toMatch(/invalid table|scratch/i);
    expect(tableOf(profile, 'customers').sample?.rows).toEqual([
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
    ]);
    expect(tableOf(profile, 'customer_names')).toMatchObject({
      kind: 'view',
      sample: { rows: [{ name: 'Ada' }, { name: 'Grace' }] },
    });
  });

  it('searches for LIKE wildcards literally', async () => {
    for (const text of ['_', '%']) {
      const result = await searchValues({ projectDir, env, ref: '@mysql.partial', text });
      expect(result.hits).toEqual([]);
    }
    const ada = await searchValues({ projectDir, env, ref: '@mysql.partial', text: 'ad' });
    expect(ada.hits.map((hit) => `${hit.table}.${hit.column}:${hit.rows.length}`).sort()).toEqual([
      'customer_names.name:1',
      'customers.name:1',
    ]);
    expect(ada.skipped_tables).toEqual([`${SCRATCH_DATABASE}.broken_view`]);
  });

  it('samples a table on request', async () => {
    const rows = await sampleTable({ projectDir, env, ref: '@mysql.movies', table: 'directors', rows: 100 });
    expect(rows.rows).toHaveLength(40);
    expect(rows.truncated).toBe(false);
    expect(rows.rows[0]).toMatchObject({ id: 1, name: 'Ava DuVernay' });
  });

  it.each([
    "INSERT INTO directors (id, name, awards) VALUES (999, 'Nobody', 0)",
    "UPDATE directors SET awards = 99 WHERE name = 'Ava DuVernay'",
    'DELETE FROM reviews',
    'DROP TABLE reviews',
    'CREATE TABLE intruder (a INT)',
    'CREATE DATABASE intruder',
  ])('refuses a write through the read-only query: %s', async (sql) => {
    await expect(runReadonlyQuery({ projectDir, env, ref: '@mysql.movies', sql })).rejects.toMatchObject({
      name: 'OsirisError',
      code: 'E_READ_ONLY_VIOLATION',
    });
  });

  it('cannot write a file on the server, which a read-only transaction alone would allow', async () => {
    const target = path.join(tmpdir(), `osiris-outfile-${process.pid}-${Date.now()}.txt`);
    await expect(
      runReadonlyQuery({
        projectDir,
        env,
        ref: '@mysql.movies',
        sql: `SELECT * FROM directors INTO OUTFILE '${target}'`,
      }),
    ).rejects.toMatchObject({ code: 'E_READ_ONLY_VIOLATION' });
    expect(existsSync(target)).toBe(false);
  });

  it('cannot smuggle a write behind a second statement', async () => {
    await expect(
      runReadonlyQuery({
        projectDir,
        env,
        ref: '@mysql.movies',
        sql: 'SELECT 1; COMMIT; DELETE FROM reviews',
      }),
    ).rejects.toMatchObject({ code: 'E_QUERY_FAILED' });
    const [rows] = await admin.query(
      `SELECT count(*) AS n, max(awards) AS most FROM ${facts.database}.directors`,
    );
    expect(rows).toEqual([{ n: 40, most: expect.any(Number) }]);
    const [reviews] = await admin.query(`SELECT count(*) AS n FROM ${facts.database}.reviews`);
    expect((reviews as { n: number }[])[0]?.n).toBeGreaterThan(0);
  });

  it('caps rows and stops slow statements', async () => {
    const capped = await runReadonlyQuery({
      projectDir,
      env,
      ref: '@mysql.movies',
      sql: 'SELECT * FROM reviews',
      maxRows: 7,
    });
    expect(capped).toMatchObject({ truncated: true, rows: expect.any(Array) });
    expect(capped.rows).toHaveLength(7);
    await expect(
      runReadonlyQuery({ projectDir, env, ref: '@mysql.movies', sql: 'SELECT SLEEP(5)', timeoutMs: 300 }),
    ).rejects.toMatchObject({ code: 'E_TIMEOUT' });
  });

  it('stops a running statement when the caller aborts', async () => {
    const controller = new AbortController();
    const running = runReadonlyQuery({
      projectDir,
      env,
      ref: '@mysql.movies',
      sql: 'SELECT SLEEP(5)',
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' });
    // The next call gets a fresh session and works.
    const after = await runReadonlyQuery({ projectDir, env, ref: '@mysql.movies', sql: 'SELECT 1 AS one' });
    expect(after.rows).toEqual([{ one: 1 }]);
  });

  it('never puts the password in an error', async () => {
    const wrong = 'Wrong-Password-Nobody-Knows-42';
    const error = await discoverDatabase({
      projectDir,
      env: { ...env, MOVIES_DB_PASSWORD: wrong },
      ref: '@mysql.movies',
      refresh: true,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'E_AUTH_FAILED' });
    const text = JSON.stringify({
      message: (error as Error).message,
      ...(error as { toJSON(): object }).toJSON(),
    });
    expect(text).not.toContain(wrong);
    const failed = await runReadonlyQuery({
      projectDir,
      env,
      ref: '@mysql.movies',
      sql: `SELECT '${facts.password}' FROM nowhere`,
    }).catch((caught: unknown) => caught as Error);
    expect(failed).toMatchObject({ code: 'E_QUERY_FAILED' });
    expect((failed as Error).message).not.toContain(facts.password);
  });
});
