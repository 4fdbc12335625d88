import pg from 'pg';
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

describeIfServers('postgres', 'discovery on PostgreSQL', () => {
  let facts: DatabaseServerFacts;
  let projectDir: string;
  let env: Record<string, string | undefined>;
  let admin: pg.Client;

  beforeAll(async () => {
    facts = requireTestServer('postgres');
    env = { ...process.env, MOVIES_DB_PASSWORD: facts.password };
    const dsn = `postgresql://${facts.user}:\${MOVIES_DB_PASSWORD}@${facts.host}:${facts.port}/${facts.database}?sslmode=disable`;
    projectDir = await makeDiscoveryProject(
      connectionsFile({
        postgres: [
          serverConnectionYaml('movies', facts, { passwordVariable: 'MOVIES_DB_PASSWORD' }),
          serverConnectionYaml('partial', facts, {
            passwordVariable: 'MOVIES_DB_PASSWORD',
            database: SCRATCH_DATABASE,
          }),
        ],
        supabase: ['    local:', `      dsn: ${dsn}`],
      }),
    );
    admin = new pg.Client(facts);
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE}`);
    await admin.query(`CREATE DATABASE ${SCRATCH_DATABASE}`);
    const scratch = new pg.Client({ ...facts, database: SCRATCH_DATABASE });
    await scratch.connect();
    try {
      await scratch.query(`
        CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, joined date);
        INSERT INTO customers VALUES (1, 'Ada', '2020-02-29'), (2, 'Grace', NULL);
        CREATE TABLE payroll (id integer PRIMARY KEY, customer_id integer REFERENCES customers (id), salary numeric(10, 2));
        CREATE VIEW payroll_view AS SELECT * FROM payroll;
        CREATE VIEW crashing_view AS SELECT 1 / 0 AS x;
        CREATE SCHEMA crm;
        CREATE TABLE crm.contacts (id bigint PRIMARY KEY, customer_id integer REFERENCES public.customers (id), email text);
        REVOKE ALL ON payroll FROM CURRENT_USER;`);
    } finally {
      await scratch.end();
    }
  });

  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE}`);
    await admin?.end();
  });

  it('reports tables, columns, primary and foreign keys of the movies database', async () => {
    const profile = await discoverDatabase({ projectDir, env, ref: '@postgres.movies', refresh: true });
    expect(profile).toMatchObject({
      connection: '@postgres.movies',
      family: 'postgres',
      schemas: ['public'],
    });
    expect(profile.server_version).toMatch(/^PostgreSQL \d+/);
    expectMoviesCatalog(profile);
    expect(tableOf(profile, 'directors').columns[1]).toEqual({
      name: 'name',
      type: 'character varying(120)',
      nullable: false,
      default: null,
    });
    const reviews = tableOf(profile, 'reviews');
    expect(reviews.indexes).toContainEqual({ name: 'reviews_pkey', columns: ['id'], unique: true });
    expect(reviews.sample?.rows).toHaveLength(10);
    expect(reviews.sample?.rows.find((row) => row.review_date !== null)?.review_date).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    expect(reviews.sample?.columns.find((column) => column.name === 'rating')?.type).toBe('numeric(3,1)');
    expect(reviews.estimated_rows).toBeGreaterThan(0);
  });

  it('finds Ava DuVernay with her facts, and Selma through the foreign key', async () => {
    expectAvaDuVernayFound(
      await searchValues({ projectDir, env, ref: '@postgres.movies', text: 'Ava DuVernay' }),
    );
  });

  it('reads a Supabase connection through its Postgres DSN', async () => {
    const profile = await discoverDatabase({ projectDir, env, ref: '@supabase.local', samples: 0 });
    expect(profile.family).toBe('supabase');
    expectMoviesCatalog(profile);
    expectAvaDuVernayFound(await searchValues({ projectDir, env, ref: '@supabase.local', text: 'DuVernay' }));
  });

  it('gives partial results: a table without privilege and a failing view are recorded, the rest profiled', async () => {
    const profile = await discoverDatabase({ projectDir, env, ref: '@postgres.partial', refresh: true });
    expect(profile.schemas).toEqual(['crm', 'public']);
    expect(profile.tables.map((table) => `${table.schema}.${table.name}`)).toEqual([
      'crm.contacts',
      'public.crashing_view',
      'public.customers',
      'public.payroll',
      'public.payroll_view',
    ]);
    const payroll = tableOf(profile, 'payroll');
    expect(payroll.error).toMatchObject({
      code: 'E_DISCOVERY_FAILED',
      message: expect.stringMatching(/permission denied/),
    });
    // The catalog still describes it: only its rows are out of reach.
    expect(payroll.columns.map((column) => column.name)).toEqual(['id', 'customer_id', 'salary']);
    expect(payroll.sample).toBeUndefined();
    expect(tableOf(profile, 'payroll_view').error?.message).toMatch(/permission denied for table payroll/);
    expect(tableOf(profile, 'crashing_view').error).toMatchObject({
      code: 'E_QUERY_FAILED',
      message: expect.stringMatching(/division by zero/),
    });
    expect(tableOf(profile, 'customers').sample?.rows).toEqual([
      { id: 1, name: 'Ada', joined: '2020-02-29' },
      { id: 2, name: 'Grace', joined: null },
    ]);
    expect(tableOf(profile, 'contacts').foreign_keys).toEqual([
      { columns: ['customer_id'], references: { schema: 'public', table: 'customers', columns: ['id'] } },
    ]);
  });

  it('searches the readable tables and says which ones it could not', async () => {
    const result = await searchValues({ projectDir, env, ref: '@postgres.partial', text: 'GRACE' });
    expect(result.hits).toEqual([
      expect.objectContaining({
        schema: 'public',
        table: 'customers',
        column: 'name',
        rows: [{ id: 2, name: 'Grace', joined: null }],
      }),
    ]);
    // payroll_view and crashing_view have no text column, so there is nothing to search in them.
    expect(result.skipped_tables).toEqual(['public.payroll']);
    expect((await searchValues({ projectDir, env, ref: '@postgres.partial', text: '_' })).hits).toEqual([]);
  });

  it('samples one table, also by its qualified name', async () => {
    const rows = await sampleTable({
      projectDir,
      env,
      ref: '@postgres.partial',
      table: 'public.customers',
      rows: 1,
    });
    expect(rows).toEqual({
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
        { name: 'joined', type: 'date' },
      ],
      rows: [{ id: 1, name: 'Ada', joined: '2020-02-29' }],
      truncated: true,
    });
  });

  it.each([
    "INSERT INTO directors (id, name, awards) VALUES (999, 'Nobody', 0)",
    'DELETE FROM reviews',
    'TRUNCATE reviews',
    'DROP TABLE reviews',
    'CREATE TABLE intruder (a integer)',
    "COPY directors TO '/tmp/osiris-copy-leak.csv'",
  ])('refuses a write through the read-only query: %s', async (sql) => {
    await expect(runReadonlyQuery({ projectDir, env, ref: '@postgres.movies', sql })).rejects.toMatchObject({
      name: 'OsirisError',
      code: 'E_READ_ONLY_VIOLATION',
    });
  });

  it('cannot smuggle a write behind a second statement', async () => {
    await expect(
      runReadonlyQuery({
        projectDir,
        env,
        ref: '@postgres.movies',
        sql: 'SELECT 1; COMMIT; DELETE FROM reviews',
      }),
    ).rejects.toMatchObject({ code: 'E_QUERY_FAILED' });
    const count = await admin.query('SELECT count(*)::int AS n FROM reviews');
    expect(count.rows[0].n).toBeGreaterThan(0);
  });

  it('caps rows and stops slow statements', async () => {
    const capped = await runReadonlyQuery({
      projectDir,
      env,
      ref: '@postgres.movies',
      sql: 'SELECT * FROM reviews',
      maxRows: 7,
    });
    expect(capped.truncated).toBe(true);
    expect(capped.rows).toHaveLength(7);
    await expect(
      runReadonlyQuery({
        projectDir,
        env,
        ref: '@postgres.movies',
        sql: 'SELECT pg_sleep(5)',
        timeoutMs: 300,
      }),
    ).rejects.toMatchObject({ code: 'E_TIMEOUT' });
  });

  it('stops a running statement when the caller aborts', async () => {
    const controller = new AbortController();
    const running = runReadonlyQuery({
      projectDir,
      env,
      ref: '@postgres.movies',
      sql: 'SELECT pg_sleep(5)',
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toMatchObject({ code: 'E_CANCELLED' });
    // The next call gets a fresh session and works.
    const after = await runReadonlyQuery({
      projectDir,
      env,
      ref: '@postgres.movies',
      sql: 'SELECT 1 AS one',
    });
    expect(after.rows).toEqual([{ one: 1 }]);
  });

  it('never puts the password in an error', async () => {
    const wrong = 'Wrong-Password-Nobody-Knows-42';
    const error = (await discoverDatabase({
      projectDir,
      env: { ...env, MOVIES_DB_PASSWORD: wrong },
      ref: '@supabase.local',
      refresh: true,
    }).catch((caught: unknown) => caught)) as Error & { toJSON(): object };
    expect(error).toMatchObject({ code: 'E_AUTH_FAILED' });
    expect(JSON.stringify({ message: error.message, ...error.toJSON() })).not.toContain(wrong);
  });
});
