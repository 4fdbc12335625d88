import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discoverDatabase } from '../../src/composition/builtins.js';
import { type DatabaseServerFacts, describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { connectionsFile, makeDiscoveryProject, serverConnectionYaml } from './discovery-fixtures.js';
import { tableOf } from './movies-expectations.js';
import { wideSchemaSql, wideTableName } from './wide-schema.js';

const DATABASE = 'discovery_wide';
const TABLES = 500;

// PostgreSQL creates 500 tables in about a second; MariaDB needs half a minute (one fsync per
// DDL), so MariaDB's 500-table figure lives in bench/discovery.ts instead of the test suite.
describeIfServers('postgres', 'discovery of a 500-table schema', () => {
  let facts: DatabaseServerFacts;
  let admin: pg.Client;
  let projectDir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    facts = requireTestServer('postgres');
    env = { ...process.env, WIDE_DB_PASSWORD: facts.password };
    projectDir = await makeDiscoveryProject(
      connectionsFile({
        postgres: [
          serverConnectionYaml('wide', facts, { passwordVariable: 'WIDE_DB_PASSWORD', database: DATABASE }),
        ],
      }),
    );
    admin = new pg.Client(facts);
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    const wide = new pg.Client({ ...facts, database: DATABASE });
    await wide.connect();
    try {
      await wide.query('BEGIN');
      for (const statement of wideSchemaSql('postgres', TABLES)) await wide.query(statement);
      await wide.query('COMMIT');
    } finally {
      await wide.end();
    }
  });

  afterAll(async () => {
    await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin?.end();
  });

  it('describes every table with its keys, indexes and samples', async () => {
    const profile = await discoverDatabase({
      projectDir,
      env,
      ref: '@postgres.wide',
      samples: 1,
      refresh: true,
    });
    expect(profile.warnings).toEqual([]);
    expect(profile.tables).toHaveLength(TABLES);
    expect(profile.tables.map((table) => table.name)).toEqual(
      Array.from({ length: TABLES }, (_, index) => wideTableName(index + 1)),
    );
    expect(profile.tables.filter((table) => table.error)).toEqual([]);
    const last = tableOf(profile, wideTableName(TABLES));
    expect(last).toMatchObject({
      schema: 'public',
      kind: 'table',
      primary_key: ['id'],
      foreign_keys: [
        {
          columns: ['parent_id'],
          references: { schema: 'public', table: wideTableName(TABLES - 1), columns: ['id'] },
        },
      ],
      sample: { rows: [{ id: 1, label: `first of ${wideTableName(TABLES)}`, amount: '1.50', parent_id: 1 }] },
    });
    expect(last.columns.map((column) => `${column.name} ${column.type}`)).toEqual([
      'id integer',
      'label character varying(40)',
      'amount numeric(10,2)',
      'parent_id integer',
    ]);
    expect(last.indexes.map((index) => index.name).sort()).toEqual([
      `${wideTableName(TABLES)}_label`,
      `${wideTableName(TABLES)}_pkey`,
    ]);
    expect(tableOf(profile, wideTableName(1)).foreign_keys).toEqual([]);
  });

  it('narrows to the tables asked for', async () => {
    const profile = await discoverDatabase({
      projectDir,
      env,
      ref: '@postgres.wide',
      tables: [wideTableName(7), `public.${wideTableName(8)}`, 'other.wide_009', 'no_such_table'],
      samples: 0,
    });
    expect(profile.tables.map((table) => table.name)).toEqual([wideTableName(7), wideTableName(8)]);
    expect(profile.warnings).toEqual([
      'table no_such_table was not found',
      'table other.wide_009 was not found',
    ]);
  });
});
