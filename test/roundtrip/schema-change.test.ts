/**
 * Issue 12 acceptance (schema drift) on the real servers, for mysql.writer and postgres.writer:
 * `evolve` adds a new source column and widens a type losslessly; `freeze` fails before writing
 * and names the column; a lossy change is refused naming table, column, old and new type; the
 * target is unchanged after every refusal (and, on MySQL whose DDL commits at once, after a write
 * that fails once the column was added).
 */
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  mysqlConnection,
  openMysql,
  type ServerFacts,
} from '../../src/components/mysql/mysql-test-support.js';
import { driver as mysqlWriter } from '../../src/components/mysql/writer.driver.js';
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

interface Target {
  name: 'mysql' | 'postgres';
  writer: Driver;
  connection: ResolvedConnection;
  config(table: string): Record<string, unknown>;
  /** Column name → type as the server prints it. */
  columns(table: string): Promise<Record<string, string>>;
  count(table: string): Promise<number>;
  exec(sql: string): Promise<void>;
  quoted(table: string): string;
}

describeIfServers(['mysql', 'postgres'], 'schema_change on database writers (issue 12)', () => {
  let harness: DriverHarness;
  let mysqlAdmin: mysql.Connection;
  let pgAdmin: pg.Client;
  let dropMysql: () => Promise<void>;
  let schema: string;
  const targets: Record<string, Target> = {};
  let step = 0;

  beforeAll(async () => {
    harness = await createDriverHarness();
    const scratch = await createScratchDatabase(requireTestServer('mysql') as ServerFacts);
    dropMysql = scratch.drop;
    mysqlAdmin = await openMysql(scratch.facts);
    pgAdmin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(pgAdmin, 'osiris_drift');
    const database = scratch.facts.database;
    targets.mysql = {
      name: 'mysql',
      writer: mysqlWriter,
      connection: mysqlConnection(scratch.facts),
      config: (table) => ({ connection: '@mysql.test', table }),
      async columns(table) {
        const [rows] = (await mysqlAdmin.query(
          'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
          [database, table],
        )) as unknown as [Array<{ name: string; type: string }>];
        return Object.fromEntries(rows.map((row) => [row.name, String(row.type)]));
      },
      async count(table) {
        const [rows] = (await mysqlAdmin.query(`SELECT COUNT(*) AS n FROM \`${table}\``)) as unknown as [
          Array<{ n: unknown }>,
        ];
        return Number(rows[0]?.n);
      },
      exec: async (sql) => void (await mysqlAdmin.query(sql)),
      quoted: (table) => `\`${table}\``,
    };
    targets.postgres = {
      name: 'postgres',
      writer: postgresWriter,
      connection: postgresConnection(requireTestServer('postgres')),
      config: (table) => ({ connection: '@postgres.test', schema, table }),
      async columns(table) {
        const result = await pgAdmin.query<{ name: string; type: string }>(
          `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
           WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
          [schema, table],
        );
        return Object.fromEntries(result.rows.map((row) => [row.name, row.type]));
      },
      async count(table) {
        return Number((await pgAdmin.query(`SELECT count(*) AS n FROM "${schema}"."${table}"`)).rows[0].n);
      },
      exec: async (sql) => void (await pgAdmin.query(sql)),
      quoted: (table) => `"${schema}"."${table}"`,
    };
  });

  afterAll(async () => {
    await mysqlAdmin?.end();
    await dropMysql?.();
    if (schema) await dropScratchSchema(pgAdmin, schema);
    await pgAdmin?.end();
    await harness?.close();
  });

  async function write(target: Target, select: string, config: Record<string, unknown>) {
    step += 1;
    const input = `input_${step}`;
    await harness.dataPlane.run(`CREATE TABLE ${harness.dataPlane.tableFor(input)} AS ${select}`);
    return harness.run(target.writer, {
      stepId: `write_${step}`,
      needs: [input],
      connection: target.connection,
      config,
    });
  }

  const BASE =
    'SELECT range::INTEGER AS id, (range * 1.5)::DECIMAL(10,2) AS amount, range::INTEGER AS qty FROM range(100)';

  for (const name of ['mysql', 'postgres'] as const) {
    describe(name, () => {
      it('evolve adds a new source column and widens DECIMAL(10,2) → (14,4), with a schema_changed event', async () => {
        const target = targets[name]!;
        await write(target, BASE, { ...target.config('evolving'), write_mode: 'upsert', primary_key: 'id' });
        const { ctx } = await write(
          target,
          "SELECT range::INTEGER AS id, (range * 1000.1234)::DECIMAL(14,4) AS amount, range::INTEGER AS qty, 'note ' || range AS note FROM range(50, 150)",
          { ...target.config('evolving'), write_mode: 'upsert', primary_key: 'id' },
        );
        const columns = await target.columns('evolving');
        expect(Object.keys(columns)).toEqual(['id', 'amount', 'qty', 'note']);
        expect(columns.amount?.toLowerCase().replace(/\s/g, '')).toMatch(/^(numeric|decimal)\(14,4\)/);
        expect(await target.count('evolving')).toBe(150);
        const event = ctx.recorded.events.find((recorded) => recorded.name === 'schema_changed');
        expect(event?.fields).toMatchObject({
          added: [{ column: 'note' }],
          widened: [{ column: 'amount' }],
        });
      });

      it('freeze fails before writing, naming the new column; the table is unchanged', async () => {
        const target = targets[name]!;
        await write(target, BASE, { ...target.config('frozen') });
        const failure = await write(
          target,
          'SELECT 1000 AS id, 1.5::DECIMAL(10,2) AS amount, 1 AS qty, 2 AS extra',
          {
            ...target.config('frozen'),
            schema_change: 'freeze',
          },
        ).catch((error: unknown) => error);
        expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
        expect((failure as Error).message).toContain('extra');
        expect(Object.keys(await target.columns('frozen'))).toEqual(['id', 'amount', 'qty']);
        expect(await target.count('frozen')).toBe(100);
      });

      it('a lossy type change is refused, naming table, column, old and new type', async () => {
        const target = targets[name]!;
        await write(target, BASE, { ...target.config('lossy') });
        const before = await target.columns('lossy');
        const failure = await write(
          target,
          'SELECT 1000 AS id, 1.5::DECIMAL(10,2) AS amount, 2.75::DECIMAL(10,2) AS qty',
          {
            ...target.config('lossy'),
          },
        ).catch((error: unknown) => error);
        expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
        const message = (failure as Error).message;
        expect(message).toContain('lossy');
        expect(message).toContain('qty');
        expect(message.toLowerCase()).toContain(before.qty!.toLowerCase());
        expect(message.toLowerCase()).toMatch(/(numeric|decimal)\(10,2\)/);
        expect(await target.columns('lossy')).toEqual(before);
        expect(await target.count('lossy')).toBe(100);
      });

      it('discard_columns drops the input columns the table lacks', async () => {
        const target = targets[name]!;
        await write(target, BASE, { ...target.config('discarding') });
        await write(target, 'SELECT 1000 AS id, 1.5::DECIMAL(10,2) AS amount, 1 AS qty, 2 AS extra', {
          ...target.config('discarding'),
          schema_change: 'discard_columns',
        });
        expect(Object.keys(await target.columns('discarding'))).toEqual(['id', 'amount', 'qty']);
        expect(await target.count('discarding')).toBe(101);
      });

      it('a write that fails after evolve added a column leaves the table as it was', async () => {
        const target = targets[name]!;
        await write(target, BASE, { ...target.config('undone'), write_mode: 'upsert', primary_key: 'id' });
        await target.exec(
          `ALTER TABLE ${target.quoted('undone')} ADD CONSTRAINT undone_small CHECK (amount < 1000)`,
        );
        const failure = await write(
          target,
          "SELECT 5000 AS id, 5000.5::DECIMAL(10,2) AS amount, 1 AS qty, 'x' AS note",
          { ...target.config('undone'), write_mode: 'upsert', primary_key: 'id' },
        ).catch((error: unknown) => error);
        expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
        expect(Object.keys(await target.columns('undone'))).toEqual(['id', 'amount', 'qty']);
        expect(await target.count('undone')).toBe(100);
      });
    });
  }
});
