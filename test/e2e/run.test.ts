import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { filesContaining, makeProject } from '../support/project.js';

const SECRET = 'E2e-Planted-Secret-9931';

const project = {
  'osiris_connections.yaml': `version: 1
connections:
  duckdb:
    local:
      default: true
      path: data/none.duckdb
      password: \${LOCAL_DB_PASSWORD}
`,
  'data/users.csv': 'id,name\n1,Ada\n2,Linus\n',
  'pipelines/ok.yaml': `oml_version: "0.1.0"
name: ok
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: shout, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT id, upper(name) AS name FROM input_df ORDER BY id" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: output/users.csv } }
`,
  'pipelines/broken-sql.yaml': `oml_version: "0.1.0"
name: broken-sql
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: shout, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT nope FROM input_df" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: output/never.csv } }
`,
  'pipelines/secret-source.yaml': `oml_version: "0.1.0"
name: secret-source
steps:
  - { id: vault, component: duckdb.extractor, mode: read, config: { connection: "@duckdb.local", table: t } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [vault], config: { path: output/vault.csv } }
`,
  'pipelines/invalid.yaml': `oml_version: "0.1.0"
name: invalid
steps:
  - { id: users, component: filesystem.csv_extractr, mode: read, config: { path: data/users.csv } }
`,
};

const env = { LOCAL_DB_PASSWORD: SECRET, OSIRIS_E2E_TOKEN: SECRET, OSIRIS_HOME: undefined };

describe('osiris run (end to end)', () => {
  it('runs a pipeline, prints a summary, and exits 0', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/ok.yaml'], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ok succeeded');
    expect(result.stdout).toMatch(/osiris logs show run_/);
    expect(await readFile(join(dir, 'output/users.csv'), 'utf8')).toBe('id,name\n1,ADA\n2,LINUS\n');
  });

  it('prints a machine-readable summary with --json', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/ok.yaml', '--json'], { cwd: dir, env });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ status: 'success', pipeline: 'ok', total_rows: 2, adapter: 'local' });
    expect(summary.steps.map((s: { id: string }) => s.id)).toEqual(['users', 'shout', 'out']);
  });

  it('runs the last compile and a build dir', async () => {
    const dir = await makeProject(project);
    expect((await runCli(['compile', 'pipelines/ok.yaml'], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['run', '--last-compile'], { cwd: dir, env })).code).toBe(0);
    expect((await runCli(['run', 'build/ok'], { cwd: dir, env })).code).toBe(0);
  });

  it('exits 3 when a step fails and names the step, the error and the next command', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/broken-sql.yaml'], { cwd: dir, env });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("E_QUERY_FAILED in step 'shout'");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
    expect(existsSync(join(dir, 'output/never.csv'))).toBe(false);
  });

  it('exits 2 on an invalid pipeline and writes nothing', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/invalid.yaml'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('osiris validate pipelines/invalid.yaml');
    expect(existsSync(join(dir, 'build'))).toBe(false);
    expect(existsSync(join(dir, '.osiris', 'runs'))).toBe(false);
  });

  it('--dry-run compiles and resolves connections but touches no data', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/secret-source.yaml', '--dry-run'], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('connections resolved: @duckdb.local');
    expect(existsSync(join(dir, '.osiris', 'runs'))).toBe(false);
    const missing = await runCli(['run', 'pipelines/secret-source.yaml', '--dry-run'], {
      cwd: dir,
      env: { ...env, LOCAL_DB_PASSWORD: undefined },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('LOCAL_DB_PASSWORD');
  });

  it('keeps a planted secret out of the terminal, the build dir and the run session', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/secret-source.yaml', '--verbose'], { cwd: dir, env });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(await filesContaining(join(dir, 'build'), SECRET)).toEqual([]);
    expect(await filesContaining(join(dir, '.osiris'), SECRET)).toEqual([]);
  });

  it('exits 2 with a hint for an unknown adapter', async () => {
    const dir = await makeProject(project);
    const result = await runCli(['run', 'pipelines/ok.yaml', '--adapter', 'mars'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Available adapters');
  });
});
