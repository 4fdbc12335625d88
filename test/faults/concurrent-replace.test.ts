import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { targetLockKey } from '../../src/components/postgres/target-lock.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { type CliResult, runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const ROWS = 1000;

/**
 * Issue 19 item 5: two `replace` runs of one pipeline into one PostgreSQL table. Before, both
 * held ACCESS SHARE from staging and then waited on each other's TRUNCATE: PostgreSQL killed one
 * as a deadlock. Now the second waits for the first and both succeed; a run that cannot get the
 * table within `lock_timeout` fails with E_TARGET_LOCKED.
 */
describeIfServers('postgres', 'concurrent replace runs into one PostgreSQL table', () => {
  let admin: pg.Client;
  let project = '';
  const schema = `osiris_faults_${process.pid}`;
  const target = `"${schema}"."movies_copy"`;

  const pipeline = (lockTimeout?: number) => `oml_version: "0.1.0"
name: replace-movies
steps:
  - id: read-rows
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/rows.csv${
        lockTimeout === undefined
          ? ''
          : `
  - id: write-csv
    component: filesystem.csv_writer
    mode: write
    needs: [read-rows]
    config:
      path: output/rows.csv`
      }
  - id: load-rows
    component: postgres.writer
    mode: write
    needs: [read-rows]
    config:
      connection: "@postgres.warehouse"
      schema: ${schema}
      table: movies_copy
      write_mode: replace
      primary_key: id${lockTimeout === undefined ? '' : `\n      lock_timeout: ${lockTimeout}`}
`;

  beforeAll(async () => {
    const facts = requireTestServer('postgres');
    admin = new pg.Client({ ...facts });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
    await admin.query(`CREATE TABLE ${target} (id int PRIMARY KEY, title text NOT NULL)`);
    await admin.query(`INSERT INTO ${target} SELECT g, 'old ' || g FROM generate_series(1, 10) g`);
    const csv = ['id,title', ...Array.from({ length: ROWS }, (_, i) => `${i + 1},title ${i + 1}`)].join('\n');
    project = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  postgres:
    warehouse:
      host: ${facts.host}
      port: ${facts.port}
      user: ${facts.user}
      password: \${WAREHOUSE_PASSWORD}
      database: ${facts.database}
`,
      'data/rows.csv': `${csv}\n`,
      'pipelines/replace.yaml': pipeline(),
      'pipelines/replace-impatient.yaml': pipeline(1),
    });
  });

  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin?.end();
    if (project) await rm(project, { recursive: true, force: true });
  });

  const run = (file: string): Promise<CliResult> =>
    runCli(['run', file], {
      cwd: project,
      env: { WAREHOUSE_PASSWORD: requireTestServer('postgres').password },
      timeoutMs: 110_000,
    });

  /** Sessions waiting for a lock on the target table or for Osiris's lock on it. */
  const waiting = async (): Promise<number> => {
    const result = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
       WHERE NOT granted AND pid <> pg_backend_pid()
         AND ((locktype = 'relation' AND relation = to_regclass($1))
              OR (locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $2::bigint))`,
      [target, targetLockKey(schema, 'movies_copy')],
    );
    return result.rows[0]!.n;
  };

  it('lets the second run wait for the first: both succeed and the table holds one copy', async () => {
    // Hold the table open for reading until both runs are waiting, so their transactions overlap
    // whatever the timing: before the fix, both then queued for TRUNCATE behind each other.
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${target} IN ACCESS SHARE MODE`);
    let finished = 0;
    const runs = [run('pipelines/replace.yaml'), run('pipelines/replace.yaml')].map((result) =>
      result.finally(() => {
        finished += 1;
      }),
    );
    while (finished === 0 && (await waiting()) < 2) await sleep(100);
    await admin.query('COMMIT');
    const results = await Promise.all(runs);
    for (const result of results) expect(result.code, result.stdout + result.stderr).toBe(0);
    const stored = await admin.query(
      `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, min(title) AS first FROM ${target}`,
    );
    expect(stored.rows[0]).toEqual({ n: ROWS, ids: ROWS, first: 'title 1' });
  }, 120_000);

  it('fails with E_TARGET_LOCKED, leaves the table as it was and names the writer that committed, when another run keeps it past lock_timeout', async () => {
    const holder = new pg.Client({ ...requireTestServer('postgres') });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [targetLockKey(schema, 'movies_copy')]);
      await admin.query(`UPDATE ${target} SET title = 'kept' WHERE id = 1`);
      const result = await run('pipelines/replace-impatient.yaml');
      expect(result.code).toBe(3);
      expect(result.stdout).toContain('E_TARGET_LOCKED');
      expect(result.stdout).toMatch(/another run is writing to osiris_faults_\d+\.movies_copy/);
      expect(result.stdout).toMatch(/hint:.*lock_timeout/);
      // The run failed, but the CSV writer had already committed its file: the summary says so.
      expect(result.stdout).toMatch(
        /committed: write-csv \(filesystem\.csv_writer\); each writer commits on its own/,
      );
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const stored = await admin.query(`SELECT count(*)::int AS n, min(title) AS first FROM ${target}`);
    expect(stored.rows[0]).toEqual({ n: ROWS, first: 'kept' });
  }, 120_000);
});
