import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/components/mysql/mysql-test-support.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

describeIfServers(['mysql', 'postgres'], 'osiris copy (built CLI, real MariaDB and PostgreSQL)', () => {
  // Tables this file writes go to a database of its own: the shared movies database is read by
  // discovery tests that count its tables.
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase(requireTestServer('mysql'));
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  async function project(): Promise<{ dir: string; env: Record<string, string | undefined> }> {
    const mysql = requireTestServer('mysql');
    const postgres = requireTestServer('postgres');
    const dir = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  mysql:
    shop: { host: ${mysql.host}, port: ${mysql.port}, database: ${mysql.database}, user: ${mysql.user}, password: "\${MYSQL_PASSWORD}" }
    scratch: { host: ${mysql.host}, port: ${mysql.port}, database: ${scratch.facts.database}, user: ${mysql.user}, password: "\${MYSQL_PASSWORD}" }
  postgres:
    wh: { host: ${postgres.host}, port: ${postgres.port}, database: ${postgres.database}, user: ${postgres.user}, password: "\${PG_PASSWORD}" }
`,
    });
    return {
      dir,
      env: { MYSQL_PASSWORD: mysql.password, PG_PASSWORD: postgres.password, OSIRIS_HOME: undefined },
    };
  }

  it('copies a table to a Parquet file and keeps the pipeline it ran in pipelines/', async () => {
    const { dir, env } = await project();
    const result = await runCli(['copy', '@mysql.shop.directors', 'output/directors.parquet', '--json'], {
      cwd: dir,
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      ok: true,
      status: 'success',
      pipeline: 'copy-mysql-directors-to-directors',
    });
    expect(existsSync(join(dir, 'output/directors.parquet'))).toBe(true);
    const oml = await readFile(join(dir, 'pipelines/copy-mysql-directors-to-directors.yaml'), 'utf8');
    expect(oml).toContain('component: mysql.extractor');
    expect(oml).toContain('connection: "@mysql.shop"');
    expect(oml).toContain('component: filesystem.parquet_writer');
    // The kept pipeline runs as it is.
    const again = await runCli(['run', 'pipelines/copy-mysql-directors-to-directors.yaml', '--json'], {
      cwd: dir,
      env,
    });
    expect(JSON.parse(again.stdout).total_rows).toBe(summary.total_rows);
  });

  it('upserts a PostgreSQL table into MariaDB by primary key; running it twice changes nothing', async () => {
    const { dir, env } = await project();
    const args = [
      'copy',
      '@postgres.wh.public.directors',
      '@mysql.scratch.directors_copy',
      '--mode',
      'upsert',
      '--primary-key',
      'id',
      '--json',
    ];
    const first = await runCli(args, { cwd: dir, env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const second = await runCli(args, { cwd: dir, env });
    expect(second.code).toBe(0);
    const count = await runCli(['copy', '@mysql.scratch.directors_copy', 'output/copy.csv', '--json'], {
      cwd: dir,
      env,
    });
    expect(JSON.parse(count.stdout).total_rows).toBe(JSON.parse(first.stdout).total_rows);
    const oml = await readFile(
      join(dir, 'pipelines/copy-postgres-directors-to-mysql-directors_copy.yaml'),
      'utf8',
    );
    expect(oml).toContain('write_mode: upsert');
    expect(oml).toContain('primary_key: id');
    expect(oml).toContain('schema: public');
  });

  it('says what is wrong with a target it cannot write, before touching anything', async () => {
    const { dir, env } = await project();
    const result = await runCli(['copy', '@mysql.shop.directors', 'output/directors.xlsx'], {
      cwd: dir,
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.csv, .parquet, .jsonl, .json');
    const upsert = await runCli(['copy', '@mysql.shop.directors', '@postgres.wh.d', '--mode', 'upsert'], {
      cwd: dir,
      env,
    });
    expect(upsert.code).toBe(2);
    expect(upsert.stderr).toContain('--primary-key');
    expect(existsSync(join(dir, 'pipelines'))).toBe(false);
  });
});
