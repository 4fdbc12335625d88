// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files use `${VAR}` literally.
/**
 * Issue 14 (a new user's first hour) and issue 19 items 6 and 11, end to end: the built CLI run
 * as a user would, from a fresh project folder, reading stdout, stderr and exit codes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, loadScenario, startFakeLlmServer } from '../../src/agent/testing/index.js';
import { demoProject, SCENARIOS } from '../agent/support/chat-harness.js';
import { REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const CONNECTIONS = `version: 1
connections:
  postgres:
    nu:
      host: 127.0.0.1
      port: 1
      user: osiris
      password: \${NU_PASSWORD}
      database: shop
`;

const ROWS = `id,name\n${Array.from({ length: 150 }, (_, n) => `${n + 1},name-${n + 1}`).join('\n')}\n`;

function writer(path: string, component = 'filesystem.csv_writer'): string {
  return `oml_version: "0.1.0"
name: writes-somewhere
steps:
  - { id: rows, component: filesystem.csv_extractor, mode: read, config: { path: data/rows.csv } }
  - id: out
    component: ${component}
    mode: write
    needs: [rows]
    config:
      path: ${path}
`;
}

const PIPELINES = {
  'pipelines/typo.yaml': `oml_version: "0.1.0"
name: typo
steps:
  - id: orders
    component: postgres.extractor
    mode: read
    config:
      connection: "@postgres.nuu"
      query: SELECT 1 AS x
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [orders], config: { path: output/x.csv } }
`,
  'pipelines/fanout.yaml': `oml_version: "0.1.0"
name: fanout
steps:
  - { id: rows, component: filesystem.csv_extractor, mode: read, config: { path: data/rows.csv } }
  - { id: write-csv, component: filesystem.csv_writer, mode: write, needs: [rows], config: { path: output/rows.csv } }
  - { id: write-parquet, component: filesystem.parquet_writer, mode: write, needs: [rows], config: { path: output/rows.parquet } }
`,
  'pipelines/needs-variable.yaml': `oml_version: "0.1.0"
name: needs-variable
steps:
  - { id: rows, component: filesystem.csv_extractor, mode: read, config: { path: data/rows.csv } }
  - id: orders
    component: postgres.extractor
    mode: read
    needs: [rows]
    config: { connection: "@postgres.nu", query: SELECT 1 AS x }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [orders], config: { path: output/x.csv } }
`,
  'pipelines/escape.yaml': writer('../escaped.csv'),
};

async function project(extra: Record<string, string> = {}): Promise<string> {
  return realpathSync(
    await makeProject({
      'osiris_connections.yaml': CONNECTIONS,
      'data/rows.csv': ROWS,
      ...PIPELINES,
      ...extra,
    }),
  );
}

const env = { OSIRIS_HOME: undefined, NU_PASSWORD: 'not-used-here', E2B_API_KEY: undefined };
const STACK_LINE = /\n\s+at /;

describe('finding 1: every command that loads a pipeline reports the same diagnostics', () => {
  it('run shows OML059 with file:line:col and the did-you-mean, like validate and compile; --verbose shows no stack', async () => {
    const dir = await project();
    const expected = 'pipelines/typo.yaml:8:19: error OML059: Connection @postgres.nuu is not defined';
    for (const args of [
      ['validate', 'pipelines/typo.yaml'],
      ['compile', 'pipelines/typo.yaml'],
      ['run', 'pipelines/typo.yaml'],
      ['run', 'pipelines/typo.yaml', '--verbose'],
    ]) {
      const result = await runCli(args, { cwd: dir, env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(expected);
      expect(result.stderr, args.join(' ')).toContain('hint: did you mean @postgres.nu?');
      expect(result.stderr, args.join(' ')).not.toMatch(STACK_LINE);
    }
    // Nothing ran: no run session was started.
    expect(existsSync(join(dir, '.osiris', 'runs'))).toBe(false);
  });

  it('run --json carries the diagnostics in the error', async () => {
    const dir = await project();
    const result = await runCli(['run', 'pipelines/typo.yaml', '--json'], { cwd: dir, env });
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('E_INVALID_OML');
    expect(JSON.stringify(body)).toContain('OML059');
  });

  it("finds the project from the pipeline's folder when run from anywhere else", async () => {
    const dir = await project();
    const elsewhere = realpathSync(await mkdtemp(join(tmpdir(), 'osiris-elsewhere-')));
    const pipeline = join(dir, 'pipelines', 'typo.yaml');
    const validate = await runCli(['validate', pipeline], { cwd: elsewhere, env });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('OML059');
    const run = await runCli(['run', join(dir, 'pipelines', 'fanout.yaml')], { cwd: elsewhere, env });
    expect(run.code, run.stderr).toBe(0);
    // Inputs were read from, and outputs written to, the pipeline's project.
    expect(existsSync(join(dir, 'output', 'rows.csv'))).toBe(true);
    expect(existsSync(join(elsewhere, 'output'))).toBe(false);
  });
});

describe('findings 3 and 9, issue 19.6: validate checks writer paths before any data moves', () => {
  it.each([
    ['../escaped.csv', 'OML066', 'leads outside the project folder'],
    ['/tmp/osiris-absolute-output.csv', 'OML066', 'absolute path outside the project folder'],
    ['osiris_connections.yaml', 'OML067', 'the connections file'],
    ['.env', 'OML067', 'environment file'],
    ['.osiris/runs/index.db', 'OML067', '.osiris/'],
    ['build/report.csv', 'OML067', 'build/'],
    ['pipelines/other.yaml', 'OML067', 'a pipeline file'],
  ])('path: %s → %s, and run refuses it before reading anything', async (path, code, reason) => {
    const dir = await project({ 'pipelines/bad-path.yaml': writer(path) });
    const validate = await runCli(['validate', 'pipelines/bad-path.yaml'], { cwd: dir, env });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`pipelines/bad-path.yaml:10:13: error ${code}: `);
    expect(validate.stderr).toContain(reason);
    expect(validate.stderr).toMatch(/\n {2}hint: \S/);
    const run = await runCli(['run', 'pipelines/bad-path.yaml'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(code);
    expect(existsSync(join(dir, '.osiris', 'runs'))).toBe(false);
    expect(await readFile(join(dir, 'osiris_connections.yaml'), 'utf8')).toBe(CONNECTIONS);
  });

  it('with the connections check on by default whenever the file is found (--no-connections skips it)', async () => {
    const dir = await project();
    expect((await runCli(['validate', 'pipelines/typo.yaml'], { cwd: dir, env })).code).toBe(2);
    const skipped = await runCli(['validate', 'pipelines/typo.yaml', '--no-connections'], { cwd: dir, env });
    expect(skipped.code).toBe(0);
  });

  it('chat: validate_oml and propose_pipeline refuse the path, shown with ✖, and nothing is proposed', async () => {
    const projectDir = await demoProject();
    server = await startFakeLlmServer({
      scenario: await loadScenario(join(SCENARIOS, 'agent-writer-path-escape.yaml')),
    });
    const result = await runCli(
      [
        'chat',
        '--provider',
        'openai',
        '--model',
        'gpt-4o-mini',
        '--base-url',
        server.openaiBaseUrl,
        'export the directors to ../escaped.csv',
      ],
      {
        cwd: projectDir,
        env: { OPENAI_API_KEY: 'sk-test-e2e', ANTHROPIC_API_KEY: undefined, OSIRIS_HOME: undefined },
      },
    );
    expect(result.stderr).toContain('✖ validating OML… invalid: 1 error');
    expect(result.stderr).toContain('✖ proposing pipeline… invalid: 1 error');
    expect(result.stderr).not.toMatch(/✔ (validating OML|proposing pipeline)/);
    expect(result.stdout).not.toContain('Proposed pipeline');
    expect(result.stdout).toContain('only writes inside the project folder');
    expect(server.remaining()).toBe(0);
    expect(existsSync(join(projectDir, '..', 'escaped.csv'))).toBe(false);
  });
});

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('finding 4: exit codes as the README says', () => {
  it('a missing variable during run is invalid input (2), reported before any step runs', async () => {
    const dir = await project();
    const result = await runCli(['run', 'pipelines/needs-variable.yaml'], {
      cwd: dir,
      env: { ...env, NU_PASSWORD: undefined },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('NU_PASSWORD');
    expect(result.stderr).toContain('[E_ENV_VAR_MISSING]');
    expect(existsSync(join(dir, '.osiris', 'runs'))).toBe(false);
  });

  it('a missing E2B key is invalid input (2), before any run starts', async () => {
    const dir = await project();
    const result = await runCli(['run', 'pipelines/fanout.yaml', '--e2b'], { cwd: dir, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('E2B_API_KEY is not set');
    expect(existsSync(join(dir, '.osiris', 'runs'))).toBe(false);
  });

  it('doctor: an unreachable server is a failed check (3), and the hint does not name the doctor', async () => {
    const dir = await project();
    const result = await runCli(['connections', 'doctor', '@postgres.nu'], { cwd: dir, env });
    expect(result.stdout).toContain('✗ failed');
    expect(result.code).toBe(3);
    expect(result.stdout).not.toContain('osiris connections doctor');
    const missing = await runCli(['connections', 'doctor'], {
      cwd: dir,
      env: { ...env, NU_PASSWORD: undefined },
    });
    expect(missing.code).toBe(2);
  });
});

describeIfServers('postgres', 'finding 4 on a real PostgreSQL server', () => {
  it('doctor: a wrong password or a missing database exits 3 with a hint that does not name the doctor', async () => {
    const facts = requireTestServer('postgres');
    const dir = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  postgres:
    wrongpw:
      host: ${facts.host}
      port: ${facts.port}
      user: ${facts.user}
      password: \${WRONG_PASSWORD}
      database: ${facts.database}
    nodb:
      host: ${facts.host}
      port: ${facts.port}
      user: ${facts.user}
      password: \${RIGHT_PASSWORD}
      database: no_such_database
`,
    });
    for (const ref of ['@postgres.wrongpw', '@postgres.nodb']) {
      const result = await runCli(['connections', 'doctor', ref], {
        cwd: dir,
        env: { ...env, WRONG_PASSWORD: 'not-the-password', RIGHT_PASSWORD: facts.password },
      });
      expect(result.stdout, ref).toContain('✗ failed');
      expect(result.code, ref).toBe(3);
      expect(result.stdout, ref).toContain('hint:');
      expect(result.stdout, ref).not.toContain('osiris connections doctor');
    }
  });
});

describe('finding 5: row totals count each delivered input once', () => {
  it('150 rows to CSV and Parquet are 150 rows, and the summary says so per writer', async () => {
    const dir = await project();
    const result = await runCli(['run', 'pipelines/fanout.yaml'], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('fanout succeeded  150 rows to 2 outputs');
    expect(result.stdout).toContain('outputs: write-csv 150 rows · write-parquet 150 rows');
    // Not "300 rows" anywhere (a bare '300' also matched run ids made at hh:30:0x).
    expect(result.stdout).not.toMatch(/\b300 rows\b/);
    const json = JSON.parse(
      (await runCli(['run', 'pipelines/fanout.yaml', '--json'], { cwd: dir, env })).stdout,
    );
    expect(json.total_rows).toBe(150);
  });
});

describe('finding 6: run --verbose shows readable event lines, never raw JSON', () => {
  it('--verbose renders events as lines; --events-json streams the JSON', async () => {
    const dir = await project();
    const verbose = await runCli(['run', 'pipelines/fanout.yaml', '--verbose'], { cwd: dir, env });
    expect(verbose.code).toBe(0);
    const lines = verbose.stderr.split('\n');
    expect(lines.filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
    expect(verbose.stderr).toMatch(/· \d\d:\d\d:\d\d\.\d{3} write-csv output_written path=output\/rows\.csv/);
    expect(verbose.stderr).toContain('✔ write-parquet  150 rows');
    const events = await runCli(['run', 'pipelines/fanout.yaml', '--events-json'], { cwd: dir, env });
    const json = events.stderr.split('\n').filter((line) => line.startsWith('{'));
    expect(json.map((line) => JSON.parse(line).event)).toContain('run_complete');
  });
});

describe('finding 7: chat SQL mode', () => {
  it('with a default per family, the hint says how to name the connection, not to mark a default', async () => {
    const dir = await project({
      'osiris_connections.yaml': `version: 1
connections:
  mysql:
    shop:
      default: true
      host: 127.0.0.1
      user: u
  postgres:
    wh:
      default: true
      host: 127.0.0.1
      user: u
`,
    });
    const result = await runCli(['chat', 'SQL: SELECT 1'], {
      cwd: dir,
      env: { ...env, OPENAI_API_KEY: undefined },
    });
    expect(result.stderr + result.stdout).toContain(
      '@mysql.shop (default for mysql), @postgres.wh (default for postgres)',
    );
    expect(result.stderr + result.stdout).toContain('SQL @mysql.shop: SELECT');
    expect(result.stderr + result.stdout).not.toContain('default: true');
  });

  it('the output file named in the message picks the format', async () => {
    const projectDir = await demoProject();
    const result = await runCli(
      ['chat', '--yes', 'SQL output/first-movies.parquet: SELECT id, title FROM movies ORDER BY id LIMIT 3'],
      { cwd: projectDir, env: { ...env, OPENAI_API_KEY: undefined } },
    );
    expect(result.code, result.stderr).toBe(0);
    const parquet = await readFile(join(projectDir, 'output', 'first-movies.parquet'));
    expect(parquet.subarray(0, 4).toString()).toBe('PAR1');
  });
});

describe('finding 10: what the README and the demo create inside the clone is ignored by git', () => {
  it.each(['osiris-demo/x', 'my-demo/x', 'movies-demo/x', 'examples/output/x.csv'])('%s', (path) => {
    const ignored = execFileSync('git', ['check-ignore', '--no-index', path], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(ignored.trim()).toBe(path);
  });
});

describe('issue 19.11: a plain-text secret in osiris_connections.yaml is warned about once per command', () => {
  it('list, doctor, validate and run each warn once, with the ${VAR} form as the hint, never the value', async () => {
    const dir = await project({
      'osiris_connections.yaml': `version: 1
connections:
  postgres:
    nu:
      host: 127.0.0.1
      port: 1
      user: osiris
      password: Plain-Text-Secret-77
      database: shop
`,
    });
    for (const args of [
      ['connections', 'list'],
      ['connections', 'doctor', '--timeout', '2000'],
      ['validate', 'pipelines/fanout.yaml'],
      ['run', 'pipelines/fanout.yaml'],
    ]) {
      const result = await runCli(args, { cwd: dir, env });
      const warnings = result.stderr.split('\n').filter((line) => line.includes('as plain text'));
      expect(warnings, args.join(' ')).toEqual([
        'warning osiris_connections.yaml holds a secret as plain text: @postgres.nu password (line 4)',
      ]);
      expect(result.stderr, args.join(' ')).toContain('hint: write `password: ${POSTGRES_NU_PASSWORD}`');
      expect(result.stdout + result.stderr, args.join(' ')).not.toContain('Plain-Text-Secret-77');
    }
  });
});

describe('issue 19.6: a damaged run index is rebuilt from the run folders', () => {
  it('after a CSV lands on .osiris/runs/index.db, runs still work and earlier runs are still listed', async () => {
    const dir = await project();
    expect((await runCli(['run', 'pipelines/fanout.yaml'], { cwd: dir, env })).code).toBe(0);
    await writeFile(join(dir, '.osiris', 'runs', 'index.db'), ROWS);
    const again = await runCli(['run', 'pipelines/fanout.yaml'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    const list = JSON.parse((await runCli(['logs', 'list', '--json'], { cwd: dir, env })).stdout);
    expect(list.runs).toHaveLength(2);
  });

  it('a deleted run index is rebuilt for logs list', async () => {
    const dir = await project();
    expect((await runCli(['run', 'pipelines/fanout.yaml'], { cwd: dir, env })).code).toBe(0);
    await mkdir(join(dir, '.osiris', 'runs'), { recursive: true });
    execFileSync('rm', ['-f', join(dir, '.osiris', 'runs', 'index.db')]);
    const list = JSON.parse((await runCli(['logs', 'list', '--json'], { cwd: dir, env })).stdout);
    expect(list.runs.map((run: { pipeline: string }) => run.pipeline)).toEqual(['fanout']);
  });
});
