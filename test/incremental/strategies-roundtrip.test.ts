/**
 * Issue 12 acceptance, incremental extraction together with the write strategies, on the real
 * MariaDB and PostgreSQL servers in both directions: the first run loads everything; after 1,000
 * inserts, 100 updates and 10 soft deletes (each bumping the cursor) the second run reads only the
 * window, and afterwards
 * - `delete_insert` + `deleted_column`: the target holds exactly the source's live rows;
 * - `scd2` + `deleted_column`: exactly one current version per live row, equal to the source, and
 *   the 110 changed rows each have one closed version holding their old values.
 * Values are compared as exact text (DECIMAL digits, timestamps to the microsecond).
 */
import { expect, it } from 'vitest';
import { describeIfServers } from '../setup/test-servers.js';
import { makeProject } from '../support/project.js';
import { useShopAndWarehouse } from '../support/shop-and-warehouse.js';
import { runIncremental } from './support.js';

type Family = 'mysql' | 'postgres';

describeIfServers(['mysql', 'postgres'], 'incremental loads with delete_insert and scd2', () => {
  const servers = useShopAndWarehouse('incr_strategies');

  const exec = async (family: Family, sql: string) => {
    if (family === 'mysql') await servers.my.query(sql);
    else await servers.pgClient.query(sql);
  };
  const rows = async (family: Family, sql: string): Promise<string[]> => {
    if (family === 'mysql') {
      const [result] = await servers.my.query(sql);
      return (result as Array<{ r: string }>).map((row) => row.r);
    }
    return (await servers.pgClient.query<{ r: string }>(sql)).rows.map((row) => row.r);
  };
  const table = (family: Family, name: string) =>
    family === 'mysql' ? `\`${name}\`` : `"${servers.schema}"."${name}"`;
  /** id|customer|amount|updated_at as exact text, optionally with a WHERE, ordered by id. */
  const snapshot = (family: Family, name: string, where = 'TRUE') =>
    rows(
      family,
      family === 'mysql'
        ? `SELECT CONCAT_WS('|', id, customer, CAST(amount AS CHAR), DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f')) AS r FROM ${table(family, name)} WHERE ${where} ORDER BY id, updated_at`
        : `SELECT concat_ws('|', id, customer, amount::text, to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US')) AS r FROM ${table(family, name)} WHERE ${where} ORDER BY id, updated_at`,
    );

  async function seed(family: Family, name: string): Promise<void> {
    await exec(family, `DROP TABLE IF EXISTS ${table(family, name)}`);
    await exec(
      family,
      family === 'mysql'
        ? `CREATE TABLE ${table(family, name)} (id BIGINT PRIMARY KEY, customer VARCHAR(100) NOT NULL, amount DECIMAL(12,2) NOT NULL, updated_at DATETIME(6) NOT NULL, is_deleted BOOLEAN NOT NULL DEFAULT FALSE)`
        : `CREATE TABLE ${table(family, name)} (id BIGINT PRIMARY KEY, customer VARCHAR(100) NOT NULL, amount NUMERIC(12,2) NOT NULL, updated_at TIMESTAMP(6) NOT NULL, is_deleted BOOLEAN NOT NULL DEFAULT FALSE)`,
    );
    const values = Array.from({ length: 5000 }, (_, index) => {
      const id = index + 1;
      const amount = `${(id * 7919) % 99999}.${String(id % 100).padStart(2, '0')}`;
      const stamp = `2023-07-${String((id % 28) + 1).padStart(2, '0')} 09:08:07.${String(id).padStart(6, '0')}`;
      return `(${id}, 'customer ${id % 89}', ${amount}, '${stamp}', FALSE)`;
    });
    await exec(family, `INSERT INTO ${table(family, name)} VALUES ${values.join(', ')}`);
  }

  async function change(family: Family, name: string): Promise<void> {
    const fresh = Array.from({ length: 1000 }, (_, index) => {
      const id = 5001 + index;
      return `(${id}, 'new ${id}', ${id}.09, '2024-02-0${(id % 9) + 1} 08:00:00.${String(id).padStart(6, '0')}', FALSE)`;
    });
    await exec(family, `INSERT INTO ${table(family, name)} VALUES ${fresh.join(', ')}`);
    await exec(
      family,
      `UPDATE ${table(family, name)} SET amount = amount + 0.01, updated_at = TIMESTAMP '2024-03-01 12:00:00.123456' WHERE id <= 100`,
    );
    await exec(
      family,
      `UPDATE ${table(family, name)} SET is_deleted = TRUE, updated_at = TIMESTAMP '2024-03-02 00:00:00.000001' WHERE id BETWEEN 201 AND 210`,
    );
  }

  function pipeline(name: string, source: Family, target: Family, from: string, to: string, mode: string) {
    const where = source === 'postgres' ? `schema: ${servers.schema}, ` : '';
    const into = target === 'postgres' ? `schema: ${servers.schema}, ` : '';
    return `oml_version: "0.1.0"
name: ${name}
steps:
  - { id: extract, component: ${source}.extractor, mode: read, config: { connection: "@${source === 'mysql' ? 'mysql.shop' : 'postgres.wh'}", ${where}table: ${from}, incremental: { cursor: updated_at } } }
  - { id: load, component: ${target}.writer, mode: write, needs: [extract], config: { connection: "@${target === 'mysql' ? 'mysql.shop' : 'postgres.wh'}", ${into}table: ${to}, write_mode: ${mode}, primary_key: id, deleted_column: is_deleted } }
`;
  }

  for (const [source, target] of [
    ['mysql', 'postgres'],
    ['postgres', 'mysql'],
  ] as const) {
    for (const mode of ['delete_insert', 'scd2'] as const) {
      it(`${source} → ${target}, ${mode}: the second run reads only the changes and the target follows the strategy`, async () => {
        const from = `src_${mode}_${source}`;
        const to = `dst_${mode}_${source}`;
        const name = `incr-${mode}-${source}-to-${target}`;
        await seed(source, from);
        await exec(target, `DROP TABLE IF EXISTS ${table(target, to)}`);
        const dir = await makeProject({
          'osiris_connections.yaml': servers.connectionsYaml,
          [`pipelines/${name}.yaml`]: pipeline(name, source, target, from, to, mode),
        });
        const run = () => runIncremental(dir, name, { env: servers.env });

        const first = await run();
        expect(first.status.status, JSON.stringify(first.status.error)).toBe('success');
        expect(first.rowsRead.extract).toBe(5000);
        const oldValues = await snapshot(source, from, 'id <= 100 OR id BETWEEN 201 AND 210');

        await change(source, from);
        const second = await run();
        expect(second.status.status, JSON.stringify(second.status.error)).toBe('success');
        // The window starts at the stored cursor (inclusive): the changed rows, and the one row
        // that sat exactly on the old cursor.
        const window = await rows(
          source,
          `SELECT count(*) AS r FROM ${table(source, from)} WHERE updated_at >= TIMESTAMP '2023-07-28 09:08:07.004983'`,
        );
        expect(second.rowsRead.extract).toBe(Number(window[0]));
        expect(second.rowsRead.extract).toBeLessThan(1200);

        const live = await snapshot(source, from, 'NOT is_deleted');
        if (mode === 'delete_insert') {
          expect(await snapshot(target, to)).toEqual(live);
        } else {
          expect(await snapshot(target, to, 'is_current')).toEqual(live);
          // Each updated or soft-deleted row has exactly one closed version: its old values.
          expect(await snapshot(target, to, 'NOT is_current')).toEqual(oldValues);
          const total = await rows(target, `SELECT count(*) AS r FROM ${table(target, to)}`);
          expect(Number(total[0])).toBe(5000 + 1000 + 100);
        }
      }, 120_000);
    }
  }
});
