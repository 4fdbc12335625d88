import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeIfServers } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { useShopAndWarehouse } from '../support/shop-and-warehouse.js';

/**
 * Issue 19 item 5: one pipeline writes to PostgreSQL, to MariaDB and to a file; the MariaDB write
 * fails (a CHECK constraint). By default each writer commits on its own, so PostgreSQL and the file
 * keep the new rows; with `on_failure: rollback_all` every writer waits for the others before it
 * commits, and the failure rolls all of them back: no target changes.
 */
describeIfServers(
  ['mysql', 'postgres'],
  'on_failure: rollback_all across PostgreSQL, MariaDB and a file',
  () => {
    const servers = useShopAndWarehouse('rollback_all');

    async function arrange(table: string): Promise<void> {
      await servers.pgClient.query(`DROP TABLE IF EXISTS "${servers.schema}"."${table}"`);
      await servers.pgClient.query(
        `CREATE TABLE "${servers.schema}"."${table}" (id INT PRIMARY KEY, name TEXT NOT NULL)`,
      );
      await servers.pgClient.query(`INSERT INTO "${servers.schema}"."${table}" VALUES (1, 'old')`);
      await servers.my.query(`DROP TABLE IF EXISTS \`${table}\``);
      await servers.my.query(
        `CREATE TABLE \`${table}\` (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, CONSTRAINT small_ids CHECK (id < 100))`,
      );
      await servers.my.query(`INSERT INTO \`${table}\` VALUES (1, 'old')`);
    }

    const pgRows = async (table: string) =>
      (await servers.pgClient.query(`SELECT id, name FROM "${servers.schema}"."${table}" ORDER BY id`)).rows;
    const myRows = async (table: string) => {
      const [rows] = await servers.my.query(`SELECT id, name FROM \`${table}\` ORDER BY id`);
      return rows;
    };

    function pipeline(table: string, onFailure?: string): string {
      return `oml_version: "0.1.0"
name: three-targets
${onFailure ? `on_failure: ${onFailure}\n` : ''}steps:
  - { id: rows, component: filesystem.csv_extractor, mode: read, config: { path: data/rows.csv } }
  - { id: to-postgres, component: postgres.writer, mode: write, needs: [rows], config: { connection: "@postgres.wh", schema: ${servers.schema}, table: ${table}, write_mode: replace, primary_key: id } }
  - { id: to-mysql, component: mysql.writer, mode: write, needs: [rows], config: { connection: "@mysql.shop", table: ${table}, write_mode: append } }
  - { id: to-file, component: filesystem.csv_writer, mode: write, needs: [rows], config: { path: output/rows.csv } }
`;
    }

    async function run(table: string, onFailure: string | undefined, adapter: string) {
      await arrange(table);
      const dir = await makeProject({
        'osiris_connections.yaml': servers.connectionsYaml,
        'data/rows.csv': 'id,name\n2,new\n3,new\n500,too big for the MariaDB check\n',
        'pipelines/p.yaml': pipeline(table, onFailure),
      });
      const result = await runCli(
        ['run', 'pipelines/p.yaml', '--json', '--no-report', '--adapter', adapter],
        {
          cwd: dir,
          env: servers.env,
        },
      );
      return { dir, result, summary: JSON.parse(result.stdout) };
    }

    it('by default each writer commits on its own: PostgreSQL and the file keep the new rows', async () => {
      const { dir, result, summary } = await run('each_commits', undefined, 'local');
      expect(result.code).toBe(3);
      expect(summary.steps.find((step: { id: string }) => step.id === 'to-mysql').status).toBe('failed');
      expect(await pgRows('each_commits')).toHaveLength(3);
      expect(existsSync(join(dir, 'output/rows.csv'))).toBe(true);
      expect(await myRows('each_commits')).toEqual([{ id: 1, name: 'old' }]);
    });

    for (const adapter of ['local', 'subprocess']) {
      it(`with rollback_all a failed writer rolls back every other one (${adapter} adapter)`, async () => {
        const table = `all_or_nothing_${adapter}`;
        const { dir, result, summary } = await run(table, 'rollback_all', adapter);
        expect(result.code, result.stderr).toBe(3);
        expect(summary.status).toBe('failed');
        const byId = Object.fromEntries(
          summary.steps.map((step: { id: string; status: string; error?: { message: string } }) => [
            step.id,
            step,
          ]),
        );
        expect(byId['to-mysql'].status).toBe('failed');
        expect(byId['to-postgres'].status).toBe('failed');
        expect(byId['to-postgres'].error.message).toContain('rollback_all');
        expect(byId['to-file'].status).toBe('failed');
        expect(await pgRows(table)).toEqual([{ id: 1, name: 'old' }]);
        expect(await myRows(table)).toEqual([{ id: 1, name: 'old' }]);
        expect(existsSync(join(dir, 'output/rows.csv'))).toBe(false);
      });
    }

    it('with rollback_all and nothing failing, every writer commits', async () => {
      await arrange('all_commit');
      const dir = await makeProject({
        'osiris_connections.yaml': servers.connectionsYaml,
        'data/rows.csv': 'id,name\n2,new\n3,new\n',
        'pipelines/p.yaml': pipeline('all_commit', 'rollback_all'),
      });
      const result = await runCli(['run', 'pipelines/p.yaml', '--json', '--no-report'], {
        cwd: dir,
        env: servers.env,
      });
      expect(result.code, result.stderr).toBe(0);
      expect(await pgRows('all_commit')).toHaveLength(2);
      expect(await myRows('all_commit')).toHaveLength(3);
      expect(existsSync(join(dir, 'output/rows.csv'))).toBe(true);
    });
  },
);
