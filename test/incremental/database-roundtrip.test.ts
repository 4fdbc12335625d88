/**
 * Issue 12 acceptance (incremental extraction with durable state), on the real MariaDB and
 * PostgreSQL servers, MySQL → PostgreSQL and PostgreSQL → MySQL with `write_mode: upsert`:
 * - the first run loads everything; after 1,000 inserts and 100 updates (cursor bumped) the second
 *   run reads only the window (the extract step's rows_read) and the target equals the source;
 * - a row whose cursor equals the stored value is neither lost nor duplicated;
 * - a late row inside `lag` is picked up;
 * - a run whose writer fails (a CHECK constraint) exits failed with target and state unchanged,
 *   and the next run catches up exactly;
 * - a lost state is recovered from the target's max(cursor), with an event.
 * Values are compared as exact text (DECIMAL digits, timestamps to the microsecond).
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { stateDbPath } from '../../src/runtime/state/state-store.js';
import { describeIfServers } from '../setup/test-servers.js';
import { makeProject } from '../support/project.js';
import { useShopAndWarehouse } from '../support/shop-and-warehouse.js';
import { eventsNamed, runIncremental, storedCursor } from './support.js';

interface Side {
  name: 'mysql' | 'postgres';
  exec(sql: string): Promise<void>;
  /** Rows as exact text: id, customer, amount, updated_at (microseconds), ordered by id. */
  snapshot(table: string): Promise<string[]>;
  count(sql: string): Promise<number>;
  table(name: string): string;
  ddl(name: string): string;
  /** `@family.alias` of the project's connection to this side, and the writer's target config. */
  ref: string;
  target(name: string): string;
  /** A timestamp literal `seconds` before `value`. */
  before(value: string, seconds: number): string;
  addCheck(table: string): string;
  dropCheck(table: string): string;
}

describeIfServers(['mysql', 'postgres'], 'incremental extraction between MariaDB and PostgreSQL', () => {
  const servers = useShopAndWarehouse('incremental');
  let sides: Record<'mysql' | 'postgres', Side>;

  beforeAll(() => {
    const { my, pgClient, schema } = servers;
    sides = {
      mysql: {
        name: 'mysql',
        exec: async (sql) => void (await my.query(sql)),
        snapshot: async (table) => {
          const [rows] = await my.query(
            `SELECT CONCAT_WS('|', id, customer, CAST(amount AS CHAR), DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f')) AS r FROM \`${table}\` ORDER BY id`,
          );
          return (rows as Array<{ r: string }>).map((row) => row.r);
        },
        count: async (sql) => {
          const [rows] = await my.query(sql);
          return Number(Object.values((rows as Array<Record<string, unknown>>)[0]!)[0]);
        },
        table: (name) => `\`${name}\``,
        ddl: (name) =>
          `CREATE TABLE \`${name}\` (id BIGINT PRIMARY KEY, customer VARCHAR(100) NOT NULL, amount DECIMAL(12,2) NOT NULL, updated_at DATETIME(6) NOT NULL)`,
        ref: '@mysql.shop',
        target: (name) =>
          `{ connection: "@mysql.shop", table: ${name}, write_mode: upsert, primary_key: id }`,
        before: (value, seconds) => `TIMESTAMP '${value}' - INTERVAL ${seconds} SECOND`,
        addCheck: (table) => `ALTER TABLE \`${table}\` ADD CONSTRAINT amount_small CHECK (amount < 1000000)`,
        dropCheck: (table) => `ALTER TABLE \`${table}\` DROP CONSTRAINT amount_small`,
      },
      postgres: {
        name: 'postgres',
        exec: async (sql) => void (await pgClient.query(sql)),
        snapshot: async (table) => {
          const result = await pgClient.query<{ r: string }>(
            `SELECT concat_ws('|', id, customer, amount::text, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US')) AS r FROM "${schema}"."${table}" ORDER BY id`,
          );
          return result.rows.map((row) => row.r);
        },
        count: async (sql) => Number(Object.values((await pgClient.query(sql)).rows[0] as object)[0]),
        table: (name) => `"${schema}"."${name}"`,
        ddl: (name) =>
          `CREATE TABLE "${schema}"."${name}" (id BIGINT PRIMARY KEY, customer VARCHAR(100) NOT NULL, amount NUMERIC(12,2) NOT NULL, updated_at TIMESTAMP(6) NOT NULL)`,
        ref: '@postgres.wh',
        target: (name) =>
          `{ connection: "@postgres.wh", schema: ${schema}, table: ${name}, write_mode: upsert, primary_key: id }`,
        before: (value, seconds) => `TIMESTAMP '${value}' - INTERVAL '${seconds} seconds'`,
        addCheck: (table) =>
          `ALTER TABLE "${schema}"."${table}" ADD CONSTRAINT amount_small CHECK (amount < 1000000)`,
        dropCheck: (table) => `ALTER TABLE "${schema}"."${table}" DROP CONSTRAINT amount_small`,
      },
    };
  });

  function pipeline(name: string, source: Side, target: Side, from: string, to: string, lag: number): string {
    const extract =
      source.name === 'postgres'
        ? `{ connection: "${source.ref}", schema: ${servers.schema}, table: ${from}, incremental: { cursor: updated_at, lag: ${lag} } }`
        : `{ connection: "${source.ref}", table: ${from}, incremental: { cursor: updated_at, lag: ${lag} } }`;
    return `oml_version: "0.1.0"
name: ${name}
steps:
  - { id: extract-orders, component: ${source.name}.extractor, mode: read, config: ${extract} }
  - { id: write-orders, component: ${target.name}.writer, mode: write, needs: [extract-orders], config: ${target.target(to)} }
`;
  }

  async function seed(side: Side, table: string): Promise<void> {
    await side.exec(`DROP TABLE IF EXISTS ${side.table(table)}`);
    await side.exec(side.ddl(table));
    const values = Array.from({ length: 5000 }, (_, index) => {
      const id = index + 1;
      const amount = `${(id * 1234567) % 999999}.${String(id % 100).padStart(2, '0')}`;
      const stamp = `2023-06-${String((id % 28) + 1).padStart(2, '0')} 10:11:12.${String(id).padStart(6, '0')}`;
      return `(${id}, 'customer ${id % 97}', ${amount}, '${stamp}')`;
    });
    await side.exec(`INSERT INTO ${side.table(table)} VALUES ${values.join(', ')}`);
  }

  for (const [sourceName, targetName] of [
    ['mysql', 'postgres'],
    ['postgres', 'mysql'],
  ] as const) {
    it(`${sourceName} → ${targetName}: reads only the window, keeps edges exact, survives a failed writer and a lost state`, async () => {
      const source = sides[sourceName];
      const target = sides[targetName];
      const from = `orders_${sourceName}`;
      const to = `orders_from_${sourceName}`;
      const name = `incremental-${sourceName}-to-${targetName}`;
      const lag = 60;
      await seed(source, from);
      await target.exec(`DROP TABLE IF EXISTS ${target.table(to)}`);
      const dir = await makeProject({
        'osiris_connections.yaml': servers.connectionsYaml,
        [`pipelines/${name}.yaml`]: pipeline(name, source, target, from, to, lag),
      });
      const run = (options: { fullRefresh?: boolean } = {}) =>
        runIncremental(dir, name, { env: servers.env, ...options });

      // First run: everything.
      const first = await run();
      expect(first.status.status, JSON.stringify(first.status.error)).toBe('success');
      expect(first.rowsRead['extract-orders']).toBe(5000);
      expect(await target.snapshot(to)).toEqual(await source.snapshot(from));
      const afterFirst = await storedCursor(dir, name, 'extract-orders');
      expect(afterFirst?.value).toBe('2023-06-28 10:11:12.004983');

      // 1,000 new rows, 100 updated (cursor bumped), one new row exactly at the stored cursor.
      const last = afterFirst!.value;
      const fresh = Array.from({ length: 1000 }, (_, index) => {
        const id = 5001 + index;
        return `(${id}, 'new ${id}', ${id}.07, '2024-02-0${(id % 9) + 1} 08:00:00.${String(id).padStart(6, '0')}')`;
      });
      await source.exec(`INSERT INTO ${source.table(from)} VALUES ${fresh.join(', ')}`);
      await source.exec(
        `UPDATE ${source.table(from)} SET amount = amount + 0.01, updated_at = TIMESTAMP '2024-03-01 12:00:00.123456' WHERE id <= 100`,
      );
      await source.exec(`INSERT INTO ${source.table(from)} VALUES (9001, 'same cursor', 1.23, '${last}')`);
      const windowRows = await source.count(
        `SELECT count(*) FROM ${source.table(from)} WHERE updated_at >= ${source.before(last, lag)}`,
      );
      const second = await run();
      expect(second.status.status, JSON.stringify(second.status.error)).toBe('success');
      expect(eventsNamed(second, 'state_loaded')[0]).toMatchObject({
        origin: 'state',
        last_value: last,
        lag,
      });
      expect(second.rowsRead['extract-orders']).toBe(windowRows);
      expect(windowRows).toBeGreaterThanOrEqual(1102);
      expect(windowRows).toBeLessThan(1400);
      expect(await target.snapshot(to)).toEqual(await source.snapshot(from));
      const afterSecond = await storedCursor(dir, name, 'extract-orders');
      expect(afterSecond?.value).toBe('2024-03-01 12:00:00.123456');
      expect(eventsNamed(second, 'state_committed')[0]).toMatchObject({
        from: '2023-06-28 10:10:12.004983',
        to: '2024-03-01 12:00:00.123456',
        rows: windowRows,
      });

      // A late row, 30 seconds before the stored cursor (inside the lag), is picked up.
      await source.exec(
        `INSERT INTO ${source.table(from)} VALUES (9002, 'late', 2.34, ${source.before(afterSecond!.value, 30)})`,
      );
      const late = await run();
      expect(late.status.status).toBe('success');
      expect(await target.snapshot(to)).toEqual(await source.snapshot(from));

      // A writer that fails leaves the target and the state as they were...
      await target.exec(target.addCheck(to));
      const before = await target.snapshot(to);
      const stateBefore = await storedCursor(dir, name, 'extract-orders');
      await source.exec(
        `UPDATE ${source.table(from)} SET amount = 5000000.00, updated_at = TIMESTAMP '2024-04-01 00:00:00' WHERE id = 7`,
      );
      await source.exec(
        `INSERT INTO ${source.table(from)} VALUES (9003, 'after failure', 3.45, TIMESTAMP '2024-04-01 00:00:01')`,
      );
      const failed = await run();
      expect(failed.status.status).toBe('failed');
      expect(failed.status.error?.step_id).toBe('write-orders');
      expect(eventsNamed(failed, 'state_committed')).toEqual([]);
      expect(await target.snapshot(to)).toEqual(before);
      expect(await storedCursor(dir, name, 'extract-orders')).toEqual(stateBefore);

      // ...and once the cause is gone, the next run brings the target to exactly the source.
      await target.exec(target.dropCheck(to));
      const caughtUp = await run();
      expect(caughtUp.status.status).toBe('success');
      expect(await target.snapshot(to)).toEqual(await source.snapshot(from));
      expect((await storedCursor(dir, name, 'extract-orders'))?.value).toBe('2024-04-01 00:00:01');

      // A lost state (.osiris/ deleted, a new machine) is recovered from the target's max(cursor).
      await rm(stateDbPath(dir), { force: true });
      await rm(`${stateDbPath(dir)}-wal`, { force: true });
      await rm(`${stateDbPath(dir)}-shm`, { force: true });
      await source.exec(
        `INSERT INTO ${source.table(from)} VALUES (9004, 'after recovery', 4.56, TIMESTAMP '2024-05-01 00:00:00')`,
      );
      const recovered = await run();
      expect(recovered.status.status).toBe('success');
      expect(eventsNamed(recovered, 'state_recovered')[0]).toMatchObject({
        step_id: 'extract-orders',
        writers: ['write-orders'],
      });
      expect(eventsNamed(recovered, 'state_loaded')[0]).toMatchObject({ origin: 'target' });
      expect(recovered.rowsRead['extract-orders']).toBeLessThan(5);
      expect(await target.snapshot(to)).toEqual(await source.snapshot(from));
      await writeFile(join(dir, 'done'), '');
    });
  }
});
