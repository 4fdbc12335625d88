import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtins } from '../composition/builtins.js';
import { runConnectionsDoctor } from './doctor.js';
import type { DoctorProbe } from './doctor-probe.js';
import { loadConnections } from './load-connections.js';

let projectDir: string;

beforeAll(async () => {
  projectDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'osiris-doctor-')));
  const duck = await DuckDBInstance.create(path.join(projectDir, 'warehouse.duckdb'));
  const session = await duck.connect();
  await session.run('create table movies as select 1 as id');
  session.closeSync();
  duck.closeSync();
  const sqlite = new Database(path.join(projectDir, 'example.sqlite'));
  sqlite.exec('create table movies (id integer)');
  sqlite.close();
  writeFileSync(path.join(projectDir, 'not-a-database.sqlite'), 'this is plain text, not SQLite '.repeat(40));
});

function configWith(yaml: string, env: Record<string, string> = {}) {
  writeFileSync(path.join(projectDir, 'osiris_connections.yaml'), `version: 1\nconnections:\n${yaml}`);
  return loadConnections({ cwd: projectDir, env });
}

describe('runConnectionsDoctor', () => {
  it('opens real DuckDB and SQLite files read-only and reports their versions', async () => {
    const config = configWith(
      '  duckdb:\n    local:\n      path: ${DUCKDB_PATH:-warehouse.duckdb}\n  sqlite:\n    local:\n      path: example.sqlite\n',
    );
    const report = await runConnectionsDoctor(config, { probes: builtins.doctorProbes });
    expect(report.exitCode).toBe(0);
    expect(report.results.map((result) => [result.ref, result.status])).toEqual([
      ['@duckdb.local', 'ok'],
      ['@sqlite.local', 'ok'],
    ]);
    const [duckdb, sqlite] = report.results;
    expect(duckdb?.connectivity).toMatchObject({
      status: 'ok',
      serverVersion: expect.stringMatching(/^DuckDB v\d+\.\d+/),
    });
    expect(sqlite?.connectivity).toMatchObject({
      status: 'ok',
      serverVersion: expect.stringMatching(/^SQLite 3\.\d+/),
    });
    for (const result of report.results) {
      if (result.connectivity.status === 'ok')
        expect(result.connectivity.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('reports every missing variable as misconfigured (exit 2) and leaves families without a probe unchecked', async () => {
    const config = configWith(
      '  mysql:\n    movies:\n      host: ${MYSQL_HOST:-localhost}\n      user: ${MYSQL_USER}\n      password: ${MYSQL_PASSWORD}\n' +
        '  filesystem:\n    files:\n      base_path: data\n      token: ${PGPASSWORD}\n',
      { PGPASSWORD: 'pg-secret-value' },
    );
    const report = await runConnectionsDoctor(config, { probes: builtins.doctorProbes });
    expect(report.exitCode).toBe(2);
    const [mysql, files] = report.results;
    expect(mysql).toMatchObject({
      status: 'misconfigured',
      problems: [
        { code: 'E_ENV_VAR_MISSING', variable: 'MYSQL_USER', field: 'user' },
        { code: 'E_ENV_VAR_MISSING', variable: 'MYSQL_PASSWORD', field: 'password' },
      ],
      connectivity: { status: 'skipped' },
    });
    expect(files).toMatchObject({
      status: 'unchecked',
      connectivity: {
        status: 'unavailable',
        message: 'no connectivity check exists for the filesystem family',
      },
    });
    expect(JSON.stringify(report)).not.toContain('pg-secret-value');
  });

  it('a file that is not a database fails the probe (exit 3); a missing file too', async () => {
    const config = configWith(
      '  sqlite:\n    broken:\n      path: not-a-database.sqlite\n  duckdb:\n    gone:\n      path: nowhere.duckdb\n',
    );
    const report = await runConnectionsDoctor(config, { probes: builtins.doctorProbes });
    expect(report.exitCode).toBe(3);
    expect(report.results[0]?.connectivity).toMatchObject({ status: 'failed', code: 'E_CONNECTION_FAILED' });
    expect(report.results[1]?.connectivity).toMatchObject({
      status: 'failed',
      code: 'E_CONNECTION_FAILED',
      message: expect.stringContaining('does not exist'),
    });
  });

  it('misconfigured wins over failed in the exit code, and a ref checks only that connection', async () => {
    const config = configWith(
      '  sqlite:\n    broken:\n      path: not-a-database.sqlite\n  mysql:\n    movies:\n      password: ${NOPE}\n',
    );
    expect((await runConnectionsDoctor(config, { probes: builtins.doctorProbes })).exitCode).toBe(2);
    const single = await runConnectionsDoctor(config, {
      ref: '@sqlite.broken',
      probes: builtins.doctorProbes,
    });
    expect(single.results.map((result) => result.ref)).toEqual(['@sqlite.broken']);
    expect(single.exitCode).toBe(3);
  });

  it('scrubs resolved secrets from probe failures', async () => {
    const config = configWith('  mysql:\n    movies:\n      host: db\n      password: ${MYSQL_PASSWORD}\n', {
      MYSQL_PASSWORD: 'planted-secret-42',
    });
    const leakyProbe: DoctorProbe = async (connection) => {
      throw new Error(`access denied for mysql://etl:${String(connection.fields.password)}@db`);
    };
    const report = await runConnectionsDoctor(config, { probes: { mysql: async () => leakyProbe } });
    expect(report.results[0]?.connectivity).toMatchObject({
      status: 'failed',
      message: 'access denied for mysql://etl:***@db',
    });
    expect(JSON.stringify(report)).not.toContain('planted-secret-42');
  });

  it('gives up on a probe that does not answer before the timeout', async () => {
    const config = configWith('  mysql:\n    movies:\n      host: db\n');
    const silentProbe: DoctorProbe = () => new Promise(() => {});
    const report = await runConnectionsDoctor(config, {
      probes: { mysql: async () => silentProbe },
      timeoutMs: 50,
    });
    expect(report.results[0]?.connectivity).toMatchObject({ status: 'failed', code: 'E_TIMEOUT' });
    expect(report.exitCode).toBe(3);
  });
});
