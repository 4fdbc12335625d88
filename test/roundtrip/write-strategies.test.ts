/**
 * Issue 12 acceptance (write strategies): for append, upsert, delete_insert and scd2, MySQL →
 * PostgreSQL and PostgreSQL → MySQL. A first run loads 5,000 orders; then the source gets 1,000
 * new rows, 100 updated rows (cursor bumped) and 10 soft deletes; a second run writes only the
 * changed rows (selected by the cursor, as an incremental extract would) and the target must
 * equal what the strategy defines, checked by SQL in the target both ways (EXCEPT), with exact
 * DECIMAL and timestamp values. A write that fails mid-transaction (a CHECK constraint) leaves
 * the target exactly as it was.
 *
 * The expected tables (`snapshot_1`, `snapshot_2`, `changes`) are copied into the target by the
 * writer's `replace` mode, whose own tests prove it exact; the checks then run inside one server.
 */
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver as mysqlExtractor } from '../../src/components/mysql/extractor.driver.js';
import {
  createScratchDatabase,
  mysqlConnection,
  openMysql,
  type ServerFacts,
} from '../../src/components/mysql/mysql-test-support.js';
import { driver as mysqlWriter } from '../../src/components/mysql/writer.driver.js';
import { driver as postgresExtractor } from '../../src/components/postgres/extractor.driver.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  postgresConnection,
} from '../../src/components/postgres/testing/postgres-test-kit.js';
import { driver as postgresWriter } from '../../src/components/postgres/writer.driver.js';
import { createDriverHarness, type DriverHarness } from '../../src/runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../src/spec/connection.js';
import type { Driver } from '../../src/spec/driver.js';
import { isOsirisError } from '../../src/spec/errors.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';

const CURSOR_1 = '2024-01-01 00:00:00';
const DATA_COLUMNS = ['id', 'customer', 'amount', 'updated_at', 'is_deleted'];

/** One side of a direction: how to run SQL there, and its extractor/writer. */
interface Side {
  name: 'mysql' | 'postgres';
  connection: ResolvedConnection;
  extractor: Driver;
  writer: Driver;
  /** Rows of a query as arrays of text (NULL as null). */
  rows(sql: string): Promise<(string | null)[][]>;
  exec(sql: string): Promise<void>;
  /** A table name as the dialect quotes it, in the scratch schema/database. */
  table(name: string): string;
  /** Writer config naming `name` in the scratch schema. */
  target(name: string): Record<string, unknown>;
  /** Source DDL for orders. */
  ordersDdl: string;
  trueLiteral: string;
  /** A query for the rows changed after the first run. */
  changedQuery: string;
}

async function seedOrders(side: Side): Promise<void> {
  await side.exec(`DROP TABLE IF EXISTS ${side.table('orders')}`);
  await side.exec(side.ordersDdl);
  // Exact values: amounts with cents that floats could not hold, timestamps with microseconds.
  const values = Array.from({ length: 5000 }, (_, index) => {
    const id = index + 1;
    const amount = `${(id * 1234567) % 9999999}.${String(id % 100).padStart(2, '0')}`;
    const stamp = `2023-06-${String((id % 28) + 1).padStart(2, '0')} 10:11:12.${String(id).padStart(6, '0')}`;
    return `(${id}, 'customer ${id % 97}', ${amount}, '${stamp}', ${side.name === 'mysql' ? 0 : 'false'})`;
  });
  await side.exec(`INSERT INTO ${side.table('orders')} VALUES ${values.join(', ')}`);
}

/** 1,000 new rows, 100 updated, 10 soft-deleted: all with the cursor bumped past CURSOR_1. */
async function changeOrders(side: Side): Promise<void> {
  const values = Array.from({ length: 1000 }, (_, index) => {
    const id = 5001 + index;
    return `(${id}, 'new ${id}', ${id}.07, '2024-02-0${(id % 9) + 1} 08:00:00.${String(id).padStart(6, '0')}', ${side.name === 'mysql' ? 0 : 'false'})`;
  });
  await side.exec(`INSERT INTO ${side.table('orders')} VALUES ${values.join(', ')}`);
  await side.exec(
    `UPDATE ${side.table('orders')} SET amount = amount + 0.01, customer = 'changed', updated_at = '2024-03-01 12:00:00.000001' WHERE id <= 100`,
  );
  await side.exec(
    `UPDATE ${side.table('orders')} SET is_deleted = ${side.trueLiteral}, updated_at = '2024-03-02 00:00:00.5' WHERE id > 100 AND id <= 110`,
  );
}

function mysqlSide(facts: ServerFacts, admin: mysql.Connection): Side {
  const database = facts.database;
  const q = (name: string) => `\`${database}\`.\`${name}\``;
  return {
    name: 'mysql',
    connection: mysqlConnection(facts),
    extractor: mysqlExtractor,
    writer: mysqlWriter,
    async rows(sql) {
      const [result] = (await admin.query({ sql, rowsAsArray: true })) as unknown as [unknown[][]];
      return result.map((row) => row.map((value) => (value === null ? null : String(value))));
    },
    async exec(sql) {
      await admin.query(sql);
    },
    table: q,
    target: (name) => ({ connection: '@mysql.test', table: name }),
    ordersDdl: `CREATE TABLE ${q('orders')} (id INT PRIMARY KEY, customer VARCHAR(40) NOT NULL, amount DECIMAL(12,2) NOT NULL, updated_at DATETIME(6) NOT NULL, is_deleted TINYINT(1) NOT NULL)`,
    trueLiteral: '1',
    changedQuery: `SELECT * FROM ${q('orders')} WHERE updated_at > '${CURSOR_1}'`,
  };
}

function postgresSide(schema: string, admin: pg.Client): Side {
  const q = (name: string) => `"${schema}"."${name}"`;
  return {
    name: 'postgres',
    connection: postgresConnection(requireTestServer('postgres')),
    extractor: postgresExtractor,
    writer: postgresWriter,
    async rows(sql) {
      const result = await admin.query({ text: sql, rowMode: 'array' });
      return (result.rows as unknown[][]).map((row) =>
        row.map((value) => (value === null ? null : String(value))),
      );
    },
    async exec(sql) {
      await admin.query(sql);
    },
    table: q,
    target: (name) => ({ connection: '@postgres.test', schema, table: name }),
    ordersDdl: `CREATE TABLE ${q('orders')} (id int PRIMARY KEY, customer varchar(40) NOT NULL, amount numeric(12,2) NOT NULL, updated_at timestamp(6) NOT NULL, is_deleted boolean NOT NULL)`,
    trueLiteral: 'true',
    changedQuery: `SELECT * FROM ${q('orders')} WHERE updated_at > '${CURSOR_1}'`,
  };
}

describeIfServers(['mysql', 'postgres'], 'write strategies across servers (issue 12)', () => {
  let harness: DriverHarness;
  let mysqlAdmin: mysql.Connection;
  let pgAdmin: pg.Client;
  let dropMysql: () => Promise<void>;
  let schema: string;
  let sides: { mysql: Side; postgres: Side };
  let step = 0;

  beforeAll(async () => {
    harness = await createDriverHarness();
    const scratch = await createScratchDatabase(requireTestServer('mysql') as ServerFacts);
    dropMysql = scratch.drop;
    mysqlAdmin = await openMysql(scratch.facts);
    pgAdmin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(pgAdmin, 'osiris_strategies');
    await pgAdmin.query("SET TimeZone = 'UTC'");
    sides = { mysql: mysqlSide(scratch.facts, mysqlAdmin), postgres: postgresSide(schema, pgAdmin) };
  });

  afterAll(async () => {
    await mysqlAdmin?.end();
    await dropMysql?.();
    if (schema) await dropScratchSchema(pgAdmin, schema);
    await pgAdmin?.end();
    await harness?.close();
  });

  /** Extract `query` from the source into a fresh data-plane table; returns its step id and row count. */
  async function extract(source: Side, query: string): Promise<{ stepId: string; rows: number }> {
    step += 1;
    const stepId = `extract_${step}`;
    const { result } = await harness.run(source.extractor, {
      stepId,
      connection: source.connection,
      config: { connection: `@${source.name}.test`, query },
    });
    return { stepId, rows: result.rows };
  }

  async function write(target: Side, from: string, config: Record<string, unknown>) {
    step += 1;
    return harness.run(target.writer, {
      stepId: `write_${step}`,
      needs: [from],
      connection: target.connection,
      config,
    });
  }

  async function count(side: Side, sql: string): Promise<number> {
    const [row] = await side.rows(sql);
    return Number(row?.[0]);
  }

  /** Rows of `left` not in `right` plus rows of `right` not in `left` (SQL EXCEPT, both ways). */
  async function difference(side: Side, left: string, right: string): Promise<number> {
    const l = `SELECT * FROM (${left}) l`;
    const r = `SELECT * FROM (${right}) r`;
    const one = await count(side, `SELECT count(*) FROM (${l} EXCEPT ${r}) d`);
    const two = await count(side, `SELECT count(*) FROM (${r} EXCEPT ${l}) d`);
    return one + two;
  }

  const directions = [
    ['mysql', 'postgres'],
    ['postgres', 'mysql'],
  ] as const;

  for (const [sourceName, targetName] of directions) {
    describe(`${sourceName} → ${targetName}`, () => {
      const columns = DATA_COLUMNS.join(', ');
      let source: Side;
      let target: Side;
      const prefix = `${sourceName}_`;

      beforeAll(async () => {
        source = sides[sourceName];
        target = sides[targetName];
        await seedOrders(source);
        const first = await extract(source, `SELECT * FROM ${source.table('orders')}`);
        await write(target, first.stepId, {
          ...target.target(`${prefix}snapshot_1`),
          write_mode: 'replace',
          primary_key: 'id',
        });
        // The first run of every strategy, from the same snapshot.
        for (const [table, config] of strategyConfigs()) {
          await write(target, first.stepId, { ...target.target(`${prefix}${table}`), ...config });
        }
        await changeOrders(source);
        const changed = await extract(source, source.changedQuery);
        expect(changed.rows).toBe(1110);
        const whole = await extract(source, `SELECT * FROM ${source.table('orders')}`);
        await write(target, whole.stepId, {
          ...target.target(`${prefix}snapshot_2`),
          write_mode: 'replace',
          primary_key: 'id',
        });
        await write(target, changed.stepId, {
          ...target.target(`${prefix}changes`),
          write_mode: 'replace',
          primary_key: 'id',
        });
        for (const [table, config] of strategyConfigs()) {
          await write(target, changed.stepId, { ...target.target(`${prefix}${table}`), ...config });
        }
      }, 240_000);

      const t = (name: string) => target.table(`${prefix}${name}`);
      const live = (name: string) =>
        `SELECT ${columns} FROM ${t(name)} WHERE ${target.name === 'mysql' ? 'is_deleted = 0' : 'CAST(is_deleted AS integer) = 0'}`;

      it('append: the first load plus every changed row', async () => {
        expect(await count(target, `SELECT count(*) FROM ${t('appended')}`)).toBe(6110);
        expect(
          await difference(
            target,
            `SELECT ${columns} FROM ${t('appended')}`,
            `SELECT ${columns} FROM ${t('snapshot_1')} UNION ALL SELECT ${columns} FROM ${t('changes')}`,
          ),
        ).toBe(0);
      });

      it('upsert with deleted_column: the source without its soft-deleted rows', async () => {
        expect(await count(target, `SELECT count(*) FROM ${t('upserted')}`)).toBe(5990);
        expect(await difference(target, `SELECT ${columns} FROM ${t('upserted')}`, live('snapshot_2'))).toBe(
          0,
        );
      });

      it('delete_insert with deleted_column: the source without its soft-deleted rows', async () => {
        expect(await count(target, `SELECT count(*) FROM ${t('delete_inserted')}`)).toBe(5990);
        expect(
          await difference(target, `SELECT ${columns} FROM ${t('delete_inserted')}`, live('snapshot_2')),
        ).toBe(0);
      });

      it('scd2: current versions are the live source, closed versions the old values, nothing else', async () => {
        const current = target.name === 'mysql' ? 'is_current = 1' : 'is_current';
        const history = t('history');
        expect(await count(target, `SELECT count(*) FROM ${history}`)).toBe(6100);
        expect(
          await difference(target, `SELECT ${columns} FROM ${history} WHERE ${current}`, live('snapshot_2')),
        ).toBe(0);
        // The 110 closed versions hold exactly the first run's values of ids 1..110.
        expect(
          await difference(
            target,
            `SELECT ${columns} FROM ${history} WHERE NOT (${current})`,
            `SELECT ${columns} FROM ${t('snapshot_1')} WHERE id <= 110`,
          ),
        ).toBe(0);
        expect(
          await count(target, `SELECT count(*) FROM ${history} WHERE valid_to IS NULL AND NOT (${current})`),
        ).toBe(0);
        expect(
          await count(target, `SELECT count(*) FROM ${history} WHERE valid_to IS NOT NULL AND ${current}`),
        ).toBe(0);
        // A changed key's versions meet: the old one ends when the new one starts.
        expect(
          await count(
            target,
            `SELECT count(*) FROM ${history} o JOIN ${history} n ON o.id = n.id AND o.valid_to = n.valid_from WHERE o.id <= 100`,
          ),
        ).toBe(100);
        expect(
          await count(
            target,
            `SELECT count(DISTINCT id) FROM ${history} WHERE id BETWEEN 101 AND 110 AND NOT (${current})`,
          ),
        ).toBe(10);
      });

      it('keeps DECIMAL and timestamp values exact', async () => {
        for (const table of ['upserted', 'delete_inserted', 'history']) {
          const rows = await target.rows(
            `SELECT CAST(amount AS CHAR(20)), CAST(updated_at AS CHAR(30)) FROM ${t(table)} WHERE id = 4999 ${table === 'history' ? 'AND valid_to IS NULL' : ''}`.replace(
              /CHAR\((\d+)\)/g,
              target.name === 'mysql' ? 'CHAR($1)' : 'varchar($1)',
            ),
          );
          const day = String((4999 % 28) + 1).padStart(2, '0');
          expect(rows).toEqual([[`${(4999 * 1234567) % 9999999}.99`, `2023-06-${day} 10:11:12.004999`]]);
          const changed = await target.rows(
            `SELECT CAST(amount AS CHAR(20)) FROM ${t(table)} WHERE id = 7 ${table === 'history' ? 'AND valid_to IS NULL' : ''}`.replace(
              /CHAR\((\d+)\)/g,
              target.name === 'mysql' ? 'CHAR($1)' : 'varchar($1)',
            ),
          );
          expect(changed).toEqual([[`${(7 * 1234567) % 9999999}.08`]]);
        }
      });

      it('a write failing mid-transaction (CHECK constraint) leaves every strategy target unchanged', async () => {
        const bad = await extract(
          source,
          `SELECT id, customer, amount + 10000000 AS amount, updated_at, is_deleted FROM ${source.table('orders')} WHERE id BETWEEN 4000 AND 4100`,
        );
        for (const [table, config] of strategyConfigs()) {
          const name = t(table);
          await target.exec(`DROP TABLE IF EXISTS ${t('before')}`);
          await target.exec(`CREATE TABLE ${t('before')} AS SELECT * FROM ${name}`);
          await target.exec(
            `ALTER TABLE ${name} ADD CONSTRAINT ${prefix}${table}_small CHECK (amount < 10000000)`,
          );
          const failure = await write(target, bad.stepId, {
            ...target.target(`${prefix}${table}`),
            ...config,
          }).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(isOsirisError(failure) && failure.code, table).toBe('E_WRITE_FAILED');
          expect(
            await difference(target, `SELECT * FROM ${name}`, `SELECT * FROM ${t('before')}`),
            table,
          ).toBe(0);
          expect(await count(target, `SELECT count(*) FROM ${name}`)).toBe(
            await count(target, `SELECT count(*) FROM ${t('before')}`),
          );
        }
      });
    });
  }
});

function strategyConfigs(): Array<[string, Record<string, unknown>]> {
  return [
    ['appended', { write_mode: 'append' }],
    ['upserted', { write_mode: 'upsert', primary_key: 'id', deleted_column: 'is_deleted' }],
    ['delete_inserted', { write_mode: 'delete_insert', primary_key: 'id', deleted_column: 'is_deleted' }],
    ['history', { write_mode: 'scd2', primary_key: 'id', deleted_column: 'is_deleted' }],
  ];
}
