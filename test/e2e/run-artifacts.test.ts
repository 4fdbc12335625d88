import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { filesContaining, makeProject } from '../support/project.js';

/** A connection secret that also sits in the data: it must never reach an artifact or a report. */
const SECRET = 'Artifact-Planted-Secret-5521';

const files = {
  'osiris_connections.yaml': `version: 1
connections:
  duckdb:
    vault:
      default: true
      path: data/vault.duckdb
      password: \${VAULT_PASSWORD}
`,
  'data/users.csv': 'id,name\n1,Ada\n2,Linus\n',
  'pipelines/ok.yaml': `oml_version: "0.1.0"
name: ok
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: shout, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT id, upper(name) AS name FROM input_df ORDER BY id" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: output/users.csv } }
`,
  'pipelines/vault.yaml': `oml_version: "0.1.0"
name: vault
steps:
  - { id: secrets, component: duckdb.extractor, mode: read, config: { connection: "@duckdb.vault", query: "SELECT id, note FROM notes ORDER BY id" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [secrets], config: { path: output/notes.csv } }
`,
};

const env = { VAULT_PASSWORD: SECRET, OSIRIS_HOME: undefined };

async function project(): Promise<string> {
  const dir = await makeProject(files);
  const instance = await DuckDBInstance.create(join(dir, 'data/vault.duckdb'));
  const connection = await instance.connect();
  await connection.run(
    `CREATE TABLE notes AS SELECT * FROM (VALUES (1, 'hello'), (2, 'the password is ${SECRET}')) AS t(id, note)`,
  );
  connection.closeSync();
  instance.closeSync();
  return dir;
}

function sessionDir(dir: string): string {
  const runs = readdirSync(join(dir, '.osiris/runs')).filter((name) => name.startsWith('run_'));
  expect(runs).toHaveLength(1);
  return join(dir, '.osiris/runs', runs[0]!);
}

async function json(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8'));
}

describe('osiris run: report by default, step artifacts (end to end)', () => {
  it('writes the HTML report and prints its path; --no-report skips it', async () => {
    const dir = await project();
    const result = await runCli(['run', 'pipelines/ok.yaml'], { cwd: dir, env });
    expect(result.code).toBe(0);
    const report = /report:\s+(\S+\.html)/.exec(result.stdout)?.[1];
    expect(report).toBeDefined();
    expect(report).toBe(join(dir, '.osiris/reports', `${/run_\w+/.exec(result.stdout)?.[0]}.html`));
    expect(await readFile(report!, 'utf8')).toContain('<html');

    const json = await runCli(['run', 'pipelines/ok.yaml', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      status: 'success',
      report: expect.any(String),
    });

    const skipped = await makeProject(files);
    const quiet = await runCli(['run', 'pipelines/ok.yaml', '--no-report'], { cwd: skipped, env });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('report:');
    expect(existsSync(join(skipped, '.osiris/reports'))).toBe(false);
  });

  it("each step's artifacts hold its config, output schema and a 10-row sample", async () => {
    const dir = await project();
    expect((await runCli(['run', 'pipelines/ok.yaml'], { cwd: dir, env })).code).toBe(0);
    const artifacts = join(sessionDir(dir), 'artifacts');
    expect(await json(join(artifacts, 'users/config.json'))).toMatchObject({ path: 'data/users.csv' });
    expect(await json(join(artifacts, 'shout/schema.json'))).toEqual({
      table: 'df_shout',
      rows: 2,
      columns: [
        { name: 'id', type: 'BIGINT', nullable: true },
        { name: 'name', type: 'VARCHAR', nullable: true },
      ],
    });
    expect(await json(join(artifacts, 'shout/sample.json'))).toEqual({
      columns: ['id', 'name'],
      rows: [
        { id: '1', name: 'ADA' },
        { id: '2', name: 'LINUS' },
      ],
    });
    // A writer has no output table: its config only.
    expect(readdirSync(join(artifacts, 'out'))).toEqual(['config.json']);
    const show = await runCli(['logs', 'show', '--json'], { cwd: dir, env });
    const steps = JSON.parse(show.stdout).run.steps;
    expect(steps[1]).toMatchObject({
      id: 'shout',
      schema: {
        columns: [
          { name: 'id', type: 'BIGINT' },
          { name: 'name', type: 'VARCHAR' },
        ],
      },
      sample: {
        rows: [
          { id: '1', name: 'ADA' },
          { id: '2', name: 'LINUS' },
        ],
      },
    });
  });

  it('--no-samples keeps rows out of the artifacts but keeps the schema', async () => {
    const dir = await project();
    expect((await runCli(['run', 'pipelines/ok.yaml', '--no-samples'], { cwd: dir, env })).code).toBe(0);
    const artifacts = join(sessionDir(dir), 'artifacts');
    expect(readdirSync(join(artifacts, 'shout')).sort()).toEqual(['config.json', 'schema.json']);
    expect(await filesContaining(join(dir, '.osiris'), 'LINUS')).toEqual([]);
  });

  for (const adapter of ['local', 'subprocess']) {
    it(`a connection secret in the data is masked in the sample and the report (${adapter})`, async () => {
      const dir = await project();
      const result = await runCli(['run', 'pipelines/vault.yaml', '--adapter', adapter], { cwd: dir, env });
      expect(result.code).toBe(0);
      // The data really holds it: the user's output file is theirs to keep.
      expect(await readFile(join(dir, 'output/notes.csv'), 'utf8')).toContain(SECRET);
      const sample = await json(join(sessionDir(dir), 'artifacts/secrets/sample.json'));
      expect(sample.rows).toEqual([
        { id: 1, note: 'hello' },
        { id: 2, note: 'the password is ***' },
      ]);
      expect(await filesContaining(join(dir, '.osiris'), SECRET)).toEqual([]);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    });
  }
});

describe('osiris logs show without a run id', () => {
  it('shows the most recent run', async () => {
    const dir = await project();
    await runCli(['run', 'pipelines/ok.yaml'], { cwd: dir, env });
    const last = await runCli(['run', 'pipelines/vault.yaml'], { cwd: dir, env });
    const runId = /run_\w+/.exec(last.stdout)?.[0];
    const shown = await runCli(['logs', 'show'], { cwd: dir, env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(runId);
    expect(shown.stdout).toContain('vault');
  });
});

describe('osiris run --e2b-install-deps', () => {
  it('is accepted and says it does nothing', async () => {
    const dir = await project();
    const result = await runCli(['run', 'pipelines/ok.yaml', '--e2b-install-deps'], { cwd: dir, env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('--e2b-install-deps is not needed');
  });
});
