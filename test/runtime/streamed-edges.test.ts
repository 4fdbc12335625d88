import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminClient } from '../../src/components/postgres/testing/postgres-test-kit.js';
import type { RunStatusFile } from '../../src/spec/events.js';
import { newRunStatus, privateTmp, runIds, startRun } from '../faults/fault-run.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { mountSmallDisk, unmountSmallDisk } from '../support/small-disk.js';

// A value only the rows hold (the server computes it; the query does not spell it).
const PLANTED = createHash('md5').update('streamed-edges-seed').digest('hex');

/**
 * Issue 13 item 1: an extract whose output feeds one file writer streams into it (plan.streams):
 * both steps run at once, nothing is stored in the data plane, and the output equals the
 * materialised run's. Failures on either side fail the run with the right code and leave no
 * output file, temp file or named pipe behind.
 */
describeIfServers(['mysql', 'postgres'], 'streamed edges (built CLI, real MariaDB and PostgreSQL)', () => {
  let project = '';
  const tmps: string[] = [];

  const extract = (id: string, family: 'postgres' | 'mysql', query: string, extra = '') => `  - id: ${id}
    component: ${family}.extractor
    mode: read${extra}
    config:
      connection: "@${family}.db"
      query: "${query}"
`;
  const writer = (id: string, needs: string, component: string, path: string) => `  - id: ${id}
    component: filesystem.${component}
    mode: write
    needs: [${needs}]
    config:
      path: ${path}
`;
  const TARGET = `streamed_target_${process.pid}`;
  const pgWriter = (table: string, key: string) => `  - id: write
    component: postgres.writer
    mode: write
    needs: [read]
    config:
      connection: "@postgres.db"
      table: ${table}
      write_mode: replace
      primary_key: ${key}
`;
  const pipeline = (name: string, steps: string) => `oml_version: "0.1.0"
name: ${name}
steps:
${steps}`;

  const PG_ROWS =
    'SELECT g AS id, md5(g::text) AS name, (g / 100.0)::numeric(12,2) AS amount FROM generate_series(1, 150000) AS g ORDER BY g';
  // The bad value (a 2-D array, which DuckDB's list cannot hold) comes while PostgreSQL is still sending.
  const PG_LATE_BAD_ROW = `SELECT g, repeat(md5('streamed-edges-seed'), 20) AS pad, CASE WHEN g = 100000 THEN ARRAY[[1],[2]] ELSE ARRAY[g] END AS m FROM generate_series(1, 250000) g`;

  beforeAll(async () => {
    const mysql = requireTestServer('mysql');
    const postgres = requireTestServer('postgres');
    project = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  mysql:
    db: { host: ${mysql.host}, port: ${mysql.port}, database: ${mysql.database}, user: ${mysql.user}, password: "\${MYSQL_PASSWORD}" }
  postgres:
    db: { host: ${postgres.host}, port: ${postgres.port}, database: ${postgres.database}, user: ${postgres.user}, password: "\${PG_PASSWORD}" }
`,
      '.env': `MYSQL_PASSWORD=${mysql.password}\nPG_PASSWORD=${postgres.password}\n`,
      'pipelines/pg-parquet.yaml': pipeline(
        'pg-parquet',
        extract('read', 'postgres', PG_ROWS) + writer('write', 'read', 'parquet_writer', 'out/pg.parquet'),
      ),
      'pipelines/pg-parquet-materialized.yaml': pipeline(
        'pg-parquet-materialized',
        extract('read', 'postgres', PG_ROWS, '\n    materialize: true') +
          writer('write', 'read', 'parquet_writer', 'out/pg-materialized.parquet'),
      ),
      'pipelines/mysql-csv.yaml': pipeline(
        'mysql-csv',
        extract('read', 'mysql', 'SELECT * FROM movies ORDER BY id') +
          writer('write', 'read', 'csv_writer', 'out/movies.csv'),
      ),
      'pipelines/mysql-csv-materialized.yaml': pipeline(
        'mysql-csv-materialized',
        extract('read', 'mysql', 'SELECT * FROM movies ORDER BY id', '\n    materialize: true') +
          writer('write', 'read', 'csv_writer', 'out/movies-materialized.csv'),
      ),
      'pipelines/fan-out.yaml': pipeline(
        'fan-out',
        extract('read', 'postgres', PG_ROWS) +
          writer('to-parquet', 'read', 'parquet_writer', 'out/fan.parquet') +
          writer('to-csv', 'read', 'csv_writer', 'out/fan.csv'),
      ),
      'pipelines/late-bad-row.yaml': pipeline(
        'late-bad-row',
        extract('read', 'postgres', PG_LATE_BAD_ROW) +
          writer('write', 'read', 'parquet_writer', 'out/bad.parquet'),
      ),
      'pipelines/slow-source.yaml': pipeline(
        'slow-source',
        extract(
          'read',
          'postgres',
          'SELECT g, pg_sleep(CASE WHEN g % 1000 = 0 THEN 0.05 ELSE 0 END) IS NULL AS slept FROM generate_series(1, 1000000) g',
        ) + writer('write', 'read', 'parquet_writer', 'out/slow.parquet'),
      ),
      'pipelines/inferred-numeric.yaml': pipeline(
        'inferred-numeric',
        extract(
          'read',
          'postgres',
          'SELECT g AS id, (g / 3.0)::numeric AS third FROM generate_series(1, 1000) AS g',
        ) + writer('write', 'read', 'parquet_writer', 'out/numeric.parquet'),
      ),
      'pipelines/mysql-pg.yaml': pipeline(
        'mysql-pg',
        extract('read', 'mysql', 'SELECT * FROM movies ORDER BY id') + pgWriter('movies_streamed', 'id'),
      ),
      'pipelines/pg-pg.yaml': pipeline(
        'pg-pg',
        extract('read', 'postgres', PG_LATE_BAD_ROW.replace('ARRAY[[1],[2]]', 'ARRAY[g]')) +
          pgWriter(TARGET, 'g'),
      ),
      'pipelines/pg-pg-bad.yaml': pipeline(
        'pg-pg-bad',
        extract('read', 'postgres', PG_LATE_BAD_ROW) + pgWriter(TARGET, 'g'),
      ),
      'pipelines/unknown-column.yaml': pipeline(
        'unknown-column',
        `${extract('read', 'postgres', PG_ROWS)}  - id: write
    component: filesystem.csv_writer
    mode: write
    needs: [read]
    config:
      path: out/unknown.csv
      columns: [id, no_such_column]
`,
      ),
      'pipelines/full-disk.yaml': pipeline(
        'full-disk',
        extract('read', 'postgres', PG_ROWS) + writer('write', 'read', 'parquet_writer', 'full/pg.parquet'),
      ),
      'pipelines/blocked-output.yaml': pipeline(
        'blocked-output',
        extract('read', 'postgres', PG_ROWS) + writer('write', 'read', 'parquet_writer', 'out/taken'),
      ),
    });
  });

  const postgresQuery = async (sql: string) => {
    const client = await adminClient(requireTestServer('postgres'));
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  afterAll(async () => {
    await postgresQuery(`DROP TABLE IF EXISTS ${TARGET}, movies_streamed`).catch(() => undefined);
    if (project) await rm(project, { recursive: true, force: true });
    for (const tmp of tmps) await rm(tmp, { recursive: true, force: true });
  });

  const newTmp = async () => {
    const tmp = await privateTmp();
    tmps.push(tmp);
    return tmp;
  };

  async function run(file: string, args: string[] = []) {
    const before = await runIds(project);
    const tmp = await newTmp();
    const result = await startRun(project, tmp, [`pipelines/${file}`, ...args], { hardStopMs: 90_000 })
      .exited;
    if ((await runIds(project)).length === before.length) throw new Error(`no run started: ${result.stderr}`);
    const status = await newRunStatus(project, before);
    const events = (await readFile(join(project, status.session_dir!, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; step_id?: string; [key: string]: unknown });
    const metrics = (await readFile(join(project, status.session_dir!, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { metric: string; step_id?: string; value: number });
    return { ...result, status, events, metrics, tmp };
  }

  /** The writer began before the extract ended: the rows streamed from one into the other. */
  const streamed = (events: Array<{ event: string; step_id?: string }>, producer: string, consumer: string) =>
    events.findIndex((e) => e.event === 'step_start' && e.step_id === consumer) <
    events.findIndex((e) => e.event === 'step_complete' && e.step_id === producer);

  const plan = async (file: string) => {
    const compiled = await runCli(['compile', `pipelines/${file}`, '--out', `build/${file}`], {
      cwd: project,
    });
    expect(compiled.code, compiled.stderr).toBe(0);
    return JSON.parse(await readFile(join(project, 'build', file, 'plan.json'), 'utf8'));
  };

  async function duckdbRows(sql: string): Promise<unknown[][]> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowsJS();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  const nothingLeftBehind = async (tmp: string, output: string) => {
    expect(existsSync(join(project, output))).toBe(false);
    const out = await readdir(join(project, 'out')).catch(() => [] as string[]);
    expect(out.filter((name) => name.includes('.tmp-'))).toEqual([]);
    // The run's data plane folder (and the named pipe in it) is gone.
    expect(await readdir(tmp)).toEqual([]);
  };

  const stepStatus = (status: RunStatusFile, id: string) =>
    status.steps.find((step) => step.id === id)?.status;

  it('the compiler streams extract → one file writer, and materialises a fan-out or materialize: true', async () => {
    expect((await plan('pg-parquet.yaml')).streams).toEqual([{ from: 'read', to: 'write' }]);
    expect((await plan('mysql-csv.yaml')).streams).toEqual([{ from: 'read', to: 'write' }]);
    expect((await plan('pg-parquet-materialized.yaml')).streams).toBeUndefined();
    expect((await plan('fan-out.yaml')).streams).toBeUndefined();
  });

  it('PostgreSQL → Parquet streams and writes what the materialised run writes', async () => {
    const streamedRun = await run('pg-parquet.yaml');
    expect(streamedRun.code, streamedRun.stderr).toBe(0);
    expect(streamed(streamedRun.events, 'read', 'write')).toBe(true);
    const materialized = await run('pg-parquet-materialized.yaml');
    expect(materialized.code, materialized.stderr).toBe(0);
    expect(streamed(materialized.events, 'read', 'write')).toBe(false);

    // Rows are still counted per step as they pass.
    const metric = (name: string, step: string) =>
      streamedRun.metrics.find((m) => m.metric === name && m.step_id === step)?.value;
    expect(metric('rows_read', 'read')).toBe(150_000);
    expect(metric('rows_read', 'write')).toBe(150_000);
    expect(metric('rows_written', 'write')).toBe(150_000);
    expect(streamedRun.status.total_rows).toBe(150_000);
    // The extract's schema artifact is still written (from the view); nothing went wrong quietly.
    expect(streamedRun.events.filter((e) => e.event === 'warning')).toEqual([]);
    expect(
      streamedRun.events.some((e) => e.event === 'artifact_created' && String(e.path).includes('read/')),
    ).toBe(true);

    const a = join(project, 'out/pg.parquet');
    const b = join(project, 'out/pg-materialized.parquet');
    expect(await duckdbRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${a}')`)).toEqual(
      await duckdbRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${b}')`),
    );
    expect(
      await duckdbRows(
        `SELECT (SELECT count(*) FROM '${a}'), (SELECT count(*) FROM (SELECT * FROM '${a}' EXCEPT ALL SELECT * FROM '${b}')), (SELECT count(*) FROM (SELECT * FROM '${b}' EXCEPT ALL SELECT * FROM '${a}'))`,
      ),
    ).toEqual([[150_000n, 0n, 0n]]);
  });

  it('MySQL → CSV streams and writes the same file as the materialised run', async () => {
    const streamedRun = await run('mysql-csv.yaml');
    expect(streamedRun.code, streamedRun.stderr).toBe(0);
    expect(streamed(streamedRun.events, 'read', 'write')).toBe(true);
    const materialized = await run('mysql-csv-materialized.yaml');
    expect(materialized.code, materialized.stderr).toBe(0);
    const text = await readFile(join(project, 'out/movies.csv'), 'utf8');
    expect(text.split('\n').length).toBeGreaterThan(10);
    expect(text).toBe(await readFile(join(project, 'out/movies-materialized.csv'), 'utf8'));
  });

  it('MySQL → PostgreSQL streams into the writer COPY; a source failing mid-stream leaves the target as it was', async () => {
    const copied = await run('mysql-pg.yaml');
    expect(copied.code, copied.stderr).toBe(0);
    expect(streamed(copied.events, 'read', 'write')).toBe(true);
    const [{ n }] = await postgresQuery('SELECT count(*)::int AS n FROM movies_streamed');
    expect(n).toBeGreaterThan(10);
    expect(copied.status.total_rows).toBe(n);

    const good = await run('pg-pg.yaml');
    expect(good.code, good.stderr).toBe(0);
    const before = await postgresQuery(`SELECT count(*)::int AS n, sum(g)::text AS total FROM ${TARGET}`);
    expect(before).toEqual([{ n: 250_000, total: '31250125000' }]);
    const bad = await run('pg-pg-bad.yaml');
    expect(bad.code, bad.stderr).toBe(3);
    expect(bad.status.error?.code).toBe('E_SOURCE_READ_FAILED');
    expect(stepStatus(bad.status, 'write')).toBe('cancelled');
    expect(await postgresQuery(`SELECT count(*)::int AS n, sum(g)::text AS total FROM ${TARGET}`)).toEqual(
      before,
    );
  });

  it('the same pipeline streams in the subprocess worker', async () => {
    const result = await run('pg-parquet.yaml', ['--adapter', 'subprocess']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.status.adapter).toBe('subprocess');
    expect(streamed(result.events, 'read', 'write')).toBe(true);
    expect(await duckdbRows(`SELECT count(*) FROM '${join(project, 'out/pg.parquet')}'`)).toEqual([
      [150_000n],
    ]);
  });

  it('an extract that must load a table first (a numeric without scale) still feeds its writer', async () => {
    const result = await run('inferred-numeric.yaml');
    expect(result.code, result.stderr).toBe(0);
    expect(streamed(result.events, 'read', 'write')).toBe(false);
    expect(result.events).toContainEqual(
      expect.objectContaining({ event: 'debug', message: 'output kept as a table instead of streamed' }),
    );
    expect(
      await duckdbRows(
        `SELECT count(*), typeof(any_value(third)) FROM '${join(project, 'out/numeric.parquet')}'`,
      ),
    ).toEqual([[1000n, 'DECIMAL(38,20)']]);
  });

  it('a fan-out (one extract, two writers) is materialised and both outputs are complete', async () => {
    const result = await run('fan-out.yaml');
    expect(result.code, result.stderr).toBe(0);
    expect(streamed(result.events, 'read', 'to-parquet')).toBe(false);
    expect(await duckdbRows(`SELECT count(*) FROM '${join(project, 'out/fan.parquet')}'`)).toEqual([
      [150_000n],
    ]);
    expect(await duckdbRows(`SELECT count(*) FROM '${join(project, 'out/fan.csv')}'`)).toEqual([[150_000n]]);
  });

  it('a value the consumer cannot read mid-stream fails the extract as a load error; no file, no secret', async () => {
    const result = await run('late-bad-row.yaml');
    expect(result.code, result.stderr).toBe(3);
    expect(result.status.status).toBe('failed');
    expect(result.status.error?.code).toBe('E_SOURCE_READ_FAILED');
    expect(stepStatus(result.status, 'read')).toBe('failed');
    expect(stepStatus(result.status, 'write')).toBe('cancelled');
    await nothingLeftBehind(result.tmp, 'out/bad.parquet');
    const session = await readdir(join(project, result.status.session_dir!), { recursive: true });
    for (const file of session.filter((name) => /\.(jsonl|json)$/.test(String(name)))) {
      const text = await readFile(join(project, result.status.session_dir!, String(file)), 'utf8');
      expect(text, String(file)).not.toContain(PLANTED);
    }
    expect(result.stdout + result.stderr).not.toContain(PLANTED);
  });

  it('a source connection killed mid-stream fails the run; the writer is stopped and writes nothing', async () => {
    const admin = await adminClient(requireTestServer('postgres'));
    try {
      const before = await runIds(project);
      const tmp = await newTmp();
      const running = startRun(project, tmp, ['pipelines/slow-source.yaml'], { hardStopMs: 90_000 });
      let killed = 0;
      for (let attempt = 0; attempt < 400 && killed === 0; attempt++) {
        const { rows } = await admin.query(
          "SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE query LIKE 'COPY%pg_sleep%' AND pid <> pg_backend_pid()",
        );
        killed = rows.length;
        if (killed === 0) await sleep(25);
      }
      expect(killed).toBe(1);
      const result = await running.exited;
      expect(result.code, result.stderr).toBe(3);
      const status = await newRunStatus(project, before);
      expect(status.status).toBe('failed');
      expect(status.error?.code).toBe('E_CONNECTION_LOST');
      expect(stepStatus(status, 'read')).toBe('failed');
      expect(stepStatus(status, 'write')).toBe('cancelled');
      await nothingLeftBehind(tmp, 'out/slow.parquet');
    } finally {
      await admin.end();
    }
  });

  it('a writer that fails before reading a row stops the extract; the run fails with the writer error', async () => {
    const result = await run('unknown-column.yaml');
    expect(result.code, result.stderr).toBe(3);
    expect(stepStatus(result.status, 'write')).toBe('failed');
    expect(stepStatus(result.status, 'read')).toBe('cancelled');
    expect(result.status.error?.message).toContain('no_such_column');
    await nothingLeftBehind(result.tmp, 'out/unknown.csv');
  });

  it('a disk filling up under the writer mid-stream fails the writer; the extract stops; nothing is left', async (context) => {
    // A 1 MB tmpfs where the file goes (needs root or CAP_SYS_ADMIN, as CI has; skipped elsewhere).
    const disk = join(project, 'full');
    await mkdir(disk, { recursive: true });
    if (!mountSmallDisk(disk)) context.skip(); // no right to mount here (not root): nothing to fill
    try {
      const result = await run('full-disk.yaml');
      expect(result.code, result.stderr).toBe(3);
      expect(stepStatus(result.status, 'write')).toBe('failed');
      expect(stepStatus(result.status, 'read')).toBe('cancelled');
      expect(result.status.error?.code).toBe('E_DISK_FULL');
      expect(result.status.error?.message).toMatch(/ran out of space while writing the output/);
      expect(result.status.steps.find((step) => step.id === 'read')?.error?.message).toContain('step write');
      expect(await readdir(disk)).toEqual([]);
      expect(await readdir(result.tmp)).toEqual([]);
    } finally {
      unmountSmallDisk(disk);
    }
  });

  it('a writer that fails after reading everything fails the run with its own error', async () => {
    // A folder where the file should go: the finished temp file cannot be renamed into place.
    await mkdir(join(project, 'out/taken/inside'), { recursive: true });
    const result = await run('blocked-output.yaml');
    expect(result.code, result.stderr).toBe(3);
    expect(result.status.error?.code).toBe('E_WRITE_FAILED');
    expect(stepStatus(result.status, 'read')).toBe('success');
    expect(stepStatus(result.status, 'write')).toBe('failed');
    const out = await readdir(join(project, 'out'));
    expect(out.filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(await readdir(result.tmp)).toEqual([]);
  });
});
