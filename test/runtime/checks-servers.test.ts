import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeRunReport } from '../../src/cli/run-report.js';
import { compilePipeline } from '../../src/compiler/index.js';
import { createScratchDatabase, openMysql } from '../../src/components/mysql/mysql-test-support.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import { runPipeline } from '../../src/runtime/runner.js';
import type { RunEvent, RunStatusFile } from '../../src/spec/events.js';
import { describeIfServers, requireTestServer, TEST_SERVER_PASSWORD } from '../setup/test-servers.js';
import { filesContaining, makeProject } from '../support/project.js';

/**
 * Issue 15 acceptance: data checks against real MariaDB sources, writing to PostgreSQL, MariaDB
 * and a CSV file. Each check type fails on purpose on a source made to break it; then no writer
 * starts and every pre-existing target is unchanged byte for byte. Warn checks let the run
 * finish and show in the report; the good source passes every check.
 */
const CHECKS = `    checks:
      - row_count: { min: 1, within_percent: 50 }
      - not_null: [id, customer_id]
      - unique: [id]
      - accepted_values: { column: status, values: [new, paid, shipped] }
      - range: { column: amount, min: 0 }
      - freshness: { column: updated_at, max_age: 2d }
      - relationship: { column: customer_id, to: customers.id }
      - sql: "SELECT count(*) = 0 FROM {{ this }} WHERE shipped_at < created_at"
        name: shipped-after-created
`;

function pipeline(name: string, schema: string, checks: string): string {
  return `oml_version: "0.1.0"
name: ${name}
params:
  source: { default: orders_good }
steps:
  - id: customers
    component: mysql.extractor
    mode: read
    config: { connection: "@mysql.shop", table: customers }
  - id: orders
    component: mysql.extractor
    mode: read
    config: { connection: "@mysql.shop", table: "\${params.source}" }
${checks}  - id: to-pg
    component: postgres.writer
    mode: write
    needs: [orders]
    config: { connection: "@postgres.warehouse", schema: ${schema}, table: orders_copy, write_mode: replace, primary_key: id }
  - id: to-mysql
    component: mysql.writer
    mode: write
    needs: [orders]
    config: { connection: "@mysql.shop", table: orders_copy, write_mode: replace, primary_key: id }
  - id: to-csv
    component: filesystem.csv_writer
    mode: write
    needs: [orders]
    config: { path: out/orders.csv }
`;
}

/** Source tables: the good one, and one per check made to break it. */
const BROKEN: Record<string, { breaks: string; sql: string }> = {
  orders_dup: {
    breaks: 'unique(id)',
    sql: "INSERT INTO orders_dup SELECT 2, 11, 'paid', 5.00, created_at, shipped_at, updated_at FROM orders_good WHERE id = 1",
  },
  orders_null: {
    breaks: 'not_null(id, customer_id)',
    sql: 'UPDATE orders_null SET customer_id = NULL WHERE id = 3',
  },
  orders_status: {
    breaks: 'accepted_values(status)',
    sql: "UPDATE orders_status SET status = 'lost' WHERE id = 2",
  },
  orders_negative: { breaks: 'range(amount)', sql: 'UPDATE orders_negative SET amount = -4.50 WHERE id = 1' },
  orders_stale: {
    breaks: 'freshness(updated_at)',
    sql: "UPDATE orders_stale SET updated_at = '2020-01-01 00:00:00'",
  },
  orders_orphan: {
    breaks: 'relationship(customer_id → customers.id)',
    sql: 'UPDATE orders_orphan SET customer_id = 99 WHERE id = 2',
  },
  orders_empty: { breaks: 'row_count', sql: 'DELETE FROM orders_empty' },
  orders_shipped: {
    breaks: 'shipped-after-created',
    sql: 'UPDATE orders_shipped SET shipped_at = created_at - INTERVAL 1 DAY WHERE id = 3',
  },
};

describeIfServers(
  ['mysql', 'postgres'],
  'data checks before the write (MariaDB → PostgreSQL, MariaDB, CSV)',
  () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    let source: mysql.Connection;
    let admin: pg.Client;
    let project = '';
    const schema = `osiris_checks_${process.pid}`;
    const registry = createDefaultRegistry();
    const env = () => ({
      ...process.env,
      MYSQL_PASSWORD: requireTestServer('mysql').password,
      PG_PASSWORD: requireTestServer('postgres').password,
    });

    beforeAll(async () => {
      scratch = await createScratchDatabase(requireTestServer('mysql'));
      source = await openMysql(scratch.facts);
      await source.query('CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(40))');
      await source.query("INSERT INTO customers VALUES (10, 'Ada'), (11, 'Linus')");
      await source.query(`CREATE TABLE orders_good (id INT, customer_id INT NULL, status VARCHAR(20), amount DECIMAL(10,2),
      created_at DATETIME, shipped_at DATETIME, updated_at DATETIME)`);
      await source.query(`INSERT INTO orders_good VALUES
      (1, 10, 'paid', 12.50, NOW() - INTERVAL 2 DAY, NOW() - INTERVAL 1 DAY, NOW()),
      (2, 11, 'new', 7.25, NOW() - INTERVAL 2 DAY, NOW() - INTERVAL 1 DAY, NOW()),
      (3, 10, 'shipped', 100.00, NOW() - INTERVAL 2 DAY, NOW() - INTERVAL 1 DAY, NOW())`);
      for (const [table, { sql }] of Object.entries(BROKEN)) {
        await source.query(`CREATE TABLE ${table} AS SELECT * FROM orders_good`);
        await source.query(sql);
      }
      await source.query(`CREATE TABLE orders_copy (id INT PRIMARY KEY, status VARCHAR(20))`);
      await source.query(`INSERT INTO orders_copy VALUES (7, 'from an earlier load'), (8, 'kept')`);

      const postgres = requireTestServer('postgres');
      admin = new pg.Client({ ...postgres });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
      await admin.query(`CREATE TABLE "${schema}".orders_copy (id int PRIMARY KEY, status text)`);
      await admin.query(
        `INSERT INTO "${schema}".orders_copy VALUES (7, 'from an earlier load'), (8, 'kept')`,
      );

      const mysqlFacts = scratch.facts;
      project = await makeProject({
        'osiris_connections.yaml': `version: 1
connections:
  mysql:
    shop:
      host: ${mysqlFacts.host}
      port: ${mysqlFacts.port}
      user: ${mysqlFacts.user}
      password: \${MYSQL_PASSWORD}
      database: ${mysqlFacts.database}
  postgres:
    warehouse:
      host: ${postgres.host}
      port: ${postgres.port}
      user: ${postgres.user}
      password: \${PG_PASSWORD}
      database: ${postgres.database}
`,
        'out/orders.csv': 'id,status\n7,from an earlier load\n8,kept\n',
        'pipelines/orders.yaml': pipeline('orders', schema, CHECKS),
        // The same checks, each with severity: warn.
        'pipelines/orders-warn.yaml': pipeline(
          'orders-warn',
          schema,
          CHECKS.replace(/^( {6}- .*)$/gm, '$1\n        severity: warn'),
        ),
      });
    });

    afterAll(async () => {
      await source?.end();
      await scratch?.drop();
      await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin?.end();
      if (project) await rm(project, { recursive: true, force: true });
    });

    async function run(
      name: string,
      params: Record<string, string>,
      options: { skipChecks?: boolean } = {},
    ): Promise<{ status: RunStatusFile; events: RunEvent[] }> {
      const compiled = await compilePipeline({
        file: join(project, `pipelines/${name}.yaml`),
        projectDir: project,
        registry,
        env: env(),
        params,
      });
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const status = await runPipeline({
        buildDir: compiled.buildDir!,
        projectDir: project,
        registry,
        connections: loadConnections({ cwd: project, env: env() }),
        ...(options.skipChecks ? { skipChecks: true } : {}),
      });
      const text = await readFile(join(project, status.session_dir, 'events.jsonl'), 'utf8');
      return {
        status,
        events: text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as RunEvent),
      };
    }

    /** Every target as bytes: the PostgreSQL table (its identity and rows), the MariaDB table, the file. */
    async function targets(): Promise<string> {
      const table = await admin.query(
        `SELECT c.oid::int AS oid, c.relfilenode::int AS node,
        (SELECT json_agg(t ORDER BY t.id)::text FROM "${schema}".orders_copy t) AS rows
       FROM pg_class c WHERE c.oid = to_regclass('"${schema}".orders_copy')`,
      );
      const [mysqlRows] = await source.query('SELECT * FROM orders_copy ORDER BY id');
      const [created] = await source.query('SHOW CREATE TABLE orders_copy');
      const file = (await readFile(join(project, 'out/orders.csv'))).toString('base64');
      return JSON.stringify({ pg: table.rows, mysql: mysqlRows, created, file });
    }

    it.each(Object.entries(BROKEN))(
      'an error check fails on %s: no writer starts and every target is unchanged',
      async (table, { breaks }) => {
        const before = await targets();
        const { status, events } = await run('orders', { source: table });
        expect(status.status).toBe('failed');
        expect(status.error).toMatchObject({ code: 'E_CHECK_FAILED', step_id: 'orders' });
        expect(status.error?.message).toContain(breaks);
        expect(status.error?.message).toContain("step 'orders'");
        expect(status.error?.hint).toContain('--skip-checks');
        const failed = events.filter((event) => event.event === 'check_failed');
        expect(failed.map((event) => event.check)).toContain(breaks);
        for (const writer of ['to-pg', 'to-mysql', 'to-csv']) {
          expect(events.some((event) => event.event === 'step_start' && event.step_id === writer)).toBe(
            false,
          );
          expect(events).toContainEqual(
            expect.objectContaining({ event: 'step_skipped', step_id: writer, upstream: 'orders' }),
          );
        }
        expect(await targets()).toBe(before);
      },
    );

    it('names the duplicates and keeps the offending rows with the failed check', async () => {
      const { status, events } = await run('orders', { source: 'orders_dup' });
      expect(status.error?.message).toBe("check unique(id): 1 duplicate id value; first: 2 (step 'orders')");
      const failed = events.find((event) => event.event === 'check_failed')!;
      expect(failed).toMatchObject({
        step_id: 'orders',
        check: 'unique(id)',
        severity: 'error',
        failing_rows: 2,
      });
      expect((failed.sample as { rows: Array<{ id: number }> }).rows.map((row) => row.id)).toEqual([2, 2]);
      expect(await filesContaining(join(project, '.osiris'), TEST_SERVER_PASSWORD)).toEqual([]);
    });

    it('lets warn checks finish the run, and shows them in the report', async () => {
      const { status, events } = await run('orders-warn', { source: 'orders_status' });
      expect(status.status, JSON.stringify(status.error)).toBe('success');
      const warned = events.filter((event) => event.event === 'check_failed');
      expect(warned.map((event) => [event.check, event.severity])).toEqual([
        ['accepted_values(status)', 'warn'],
      ]);
      expect(events.filter((event) => event.event === 'check_passed')).toHaveLength(7);
      const report = await writeRunReport(project, status.run_id, env(), { quiet: true });
      const html = await readFile(report!, 'utf8');
      expect(html).toContain('data-testid="step-checks"');
      expect(html).toContain('data-check="accepted_values(status)" data-outcome="warned"');
      expect(html).toContain('where status is not one of');
      expect(html).toContain('data-testid="check-sample"');
      expect(html).not.toContain(TEST_SERVER_PASSWORD);
    });

    it('--skip-checks runs without them and says so; a good source passes every check', async () => {
      const skipped = await run('orders', { source: 'orders_status' }, { skipChecks: true });
      expect(skipped.status).toMatchObject({ status: 'success', skip_checks: true });
      expect(skipped.events.find((event) => event.event === 'run_start')).toMatchObject({
        skip_checks: true,
      });
      expect(skipped.events.some((event) => event.event.startsWith('check_'))).toBe(false);

      const good = await run('orders', {});
      expect(good.status.status).toBe('success');
      const passed = good.events.filter((event) => event.event === 'check_passed');
      expect(passed).toHaveLength(8);
      // Compared with the last successful run of the pipeline (the skipped one, 3 rows).
      expect(passed[0]!.observed).toBe("3 rows, +0.0% against the last successful run's 3");
      const loaded = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".orders_copy`);
      expect(loaded.rows[0].n).toBe(3);
    });
  },
);
