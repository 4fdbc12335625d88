import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const PLANTED = {
  fromProcessEnv: 'planted-process-secret-7f3a',
  fromDotenv: 'planted-dotenv-secret-91c2',
  literalInFile: 'planted-literal-secret-55e0',
  inUrl: 'planted-url-secret-0b9d',
};

function tempProject(): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), 'osiris-e2e-connections-')));
}

async function createDatabases(dir: string): Promise<void> {
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const duck = await DuckDBInstance.create(path.join(dir, 'data', 'warehouse.duckdb'));
  const session = await duck.connect();
  await session.run('create table t as select 42 as answer');
  session.closeSync();
  duck.closeSync();
  const sqlite = new Database(path.join(dir, 'data', 'app.sqlite'));
  sqlite.exec('create table t (answer integer)');
  sqlite.close();
}

const env = { OSIRIS_HOME: undefined };

describe('osiris connections', () => {
  it('without a file, list and doctor tell the user to run osiris init and exit 0', async () => {
    const dir = tempProject();
    const list = await runCli(['connections', 'list'], { cwd: dir, env });
    // Meaningless if a folder above the temp dir happens to hold a connections file.
    if (list.stdout.startsWith('Connections in')) return;
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('No osiris_connections.yaml found');
    expect(list.stdout).toContain('osiris init');
    const doctor = await runCli(['connections', 'doctor'], { cwd: dir, env });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain('osiris init');
    const json = await runCli(['connections', 'list', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toMatchObject({ file: null, connections: [] });
  });

  it('never prints a planted secret from the environment, .env, the file itself or a URL', async () => {
    const dir = tempProject();
    await createDatabases(dir);
    writeFileSync(
      path.join(dir, 'osiris_connections.yaml'),
      `version: 1
connections:
  mysql:
    movies:
      default: true
      host: db.internal
      user: etl
      password: \${MYSQL_PASSWORD}
      primary_key: id
  supabase:
    main:
      url: https://example.supabase.co
      service_role_key: \${SUPABASE_SERVICE_ROLE_KEY}
  postgres:
    legacy:
      password: ${PLANTED.literalInFile}
      url: postgres://etl:${PLANTED.inUrl}@db/legacy
  sqlite:
    app:
      path: data/app.sqlite
      token: \${MYSQL_PASSWORD}
`,
    );
    writeFileSync(path.join(dir, '.env'), `SUPABASE_SERVICE_ROLE_KEY=${PLANTED.fromDotenv}\n`);
    const runs = [
      ['connections', 'list'],
      ['connections', 'list', '--json'],
      ['connections', 'doctor'],
      ['connections', 'doctor', '--json'],
      ['connections', 'doctor', '@mysql'],
      ['connections', 'doctor', '@sqlite.app'],
    ];
    for (const args of runs) {
      const result = await runCli(args, {
        cwd: dir,
        env: { ...env, MYSQL_PASSWORD: PLANTED.fromProcessEnv },
      });
      const output = result.stdout + result.stderr;
      for (const secret of Object.values(PLANTED))
        expect(output, `${args.join(' ')} printed ${secret}`).not.toContain(secret);
      // db.internal does not resolve here, so probing @mysql.movies fails (exit 3: a failed check);
      // nothing else does.
      const probesMysql =
        args[1] === 'doctor' && (args.length === 2 || args[2] === '--json' || args[2] === '@mysql');
      expect(result.code, args.join(' ')).toBe(probesMysql ? 3 : 0);
    }

    const list = await runCli(['connections', 'list'], {
      cwd: dir,
      env: { ...env, MYSQL_PASSWORD: PLANTED.fromProcessEnv },
    });
    expect(list.stdout).toContain(`Connections in ${path.join(dir, 'osiris_connections.yaml')}`);
    expect(list.stdout).toMatch(
      /mysql\s+movies\s+yes\s+host=db\.internal user=etl password=\*\*\* primary_key=id/,
    );
    expect(list.stdout).toContain('service_role_key=***');
    expect(list.stdout).toContain('url=postgres://etl:***@db/legacy');
    expect(list.stdout).toContain('MYSQL_PASSWORD set');

    const json = JSON.parse(
      (
        await runCli(['connections', 'list', '--json'], {
          cwd: dir,
          env: { ...env, MYSQL_PASSWORD: PLANTED.fromProcessEnv },
        })
      ).stdout,
    );
    expect(json.connections[0]).toMatchObject({
      ref: '@mysql.movies',
      isDefault: true,
      fields: { password: '***', primary_key: 'id', host: 'db.internal' },
      variables: [{ variable: 'MYSQL_PASSWORD', status: 'set' }],
    });
  });

  it('doctor: 0 when every connection is fine, with the engine versions', async () => {
    const dir = tempProject();
    await createDatabases(dir);
    writeFileSync(
      path.join(dir, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  duckdb:\n    local:\n      path: data/warehouse.duckdb\n  sqlite:\n    app:\n      path: ${APP_DB:-data/app.sqlite}\n',
    );
    const result = await runCli(['connections', 'doctor'], { cwd: path.join(dir), env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/@duckdb\.local\s+✓ ok/);
    expect(result.stdout).toMatch(/DuckDB v\d/);
    expect(result.stdout).toMatch(/SQLite 3\.\d+/);
    expect(result.stdout).toContain('No problems found.');
    const json = JSON.parse((await runCli(['connections', 'doctor', '--json'], { cwd: dir, env })).stdout);
    expect(json).toMatchObject({ ok: true, exitCode: 0, results: [{ status: 'ok' }, { status: 'ok' }] });
  });

  it('doctor: 2 when a variable is missing, naming it and the field; families without a probe are not checked', async () => {
    const dir = tempProject();
    writeFileSync(
      path.join(dir, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  mysql:\n    movies:\n      host: db\n      password: ${MYSQL_PASSWORD}\n  filesystem:\n    files:\n      base_path: data\n',
    );
    const result = await runCli(['connections', 'doctor'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/@mysql\.movies\s+✗ misconfigured/);
    expect(result.stdout).toContain('environment variable MYSQL_PASSWORD is not set (field "password")');
    expect(result.stdout).toContain(`set MYSQL_PASSWORD in your shell or in ${path.join(dir, '.env')}`);
    expect(result.stdout).toContain('no connectivity check exists for the filesystem family');
  });

  it('doctor: 3 when a connectivity check fails (a failed check, not an internal error)', async () => {
    const dir = tempProject();
    writeFileSync(path.join(dir, 'broken.sqlite'), 'not a database at all, just text. '.repeat(50));
    writeFileSync(
      path.join(dir, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  sqlite:\n    broken:\n      path: broken.sqlite\n',
    );
    const result = await runCli(['connections', 'doctor'], { cwd: dir, env });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/@sqlite\.broken\s+✗ failed/);
    expect(result.stdout).toContain('[E_CONNECTION_FAILED]');
  });

  it('doctor @ref: an unknown connection is an input error with a suggestion', async () => {
    const dir = tempProject();
    writeFileSync(
      path.join(dir, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  mysql:\n    movies:\n      host: db\n',
    );
    const result = await runCli(['connections', 'doctor', '@mysql.movie'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[E_CONNECTION_NOT_FOUND]');
    expect(result.stderr).toContain('did you mean @mysql.movies?');
    const badRef = await runCli(['connections', 'doctor', 'mysql.movies'], { cwd: dir, env });
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain('@family.alias');
  });

  it('a malformed file is an input error with file:line:column and the expected shape', async () => {
    const dir = tempProject();
    const file = path.join(dir, 'osiris_connections.yaml');
    writeFileSync(file, 'version: 1\nconnections:\n  mysql:\n    movies:\n      host: [unclosed\n');
    const result = await runCli(['connections', 'list'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[E_CONNECTIONS_INVALID]');
    expect(result.stderr).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML`),
    );
    expect(result.stderr).toContain('expected shape:');
  });

  it('reads the file from $OSIRIS_HOME and from parent folders', async () => {
    const home = tempProject();
    writeFileSync(
      path.join(home, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  mysql:\n    from_home:\n      host: h\n',
    );
    const project = tempProject();
    const nested = path.join(project, 'pipelines', 'deep');
    mkdirSync(nested, { recursive: true });
    writeFileSync(
      path.join(project, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  mysql:\n    from_parent:\n      host: h\n',
    );

    const fromParent = await runCli(['connections', 'list'], { cwd: nested, env });
    expect(fromParent.stdout).toContain('from_parent');
    const fromHome = await runCli(['connections', 'list'], { cwd: nested, env: { OSIRIS_HOME: home } });
    expect(fromHome.stdout).toContain('from_home');
    expect(fromHome.stdout).toContain(path.join(home, 'osiris_connections.yaml'));
  });
});
