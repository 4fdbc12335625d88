import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import { createE2bAdapter, type E2bAdapterOptions } from '../../src/runtime/adapters/e2b/e2b-adapter.js';
import {
  FakeSandboxApi,
  type FakeSandboxOptions,
} from '../../src/runtime/adapters/e2b/testing/fake-sandbox-api.js';
import { runPipeline } from '../../src/runtime/runner.js';
import type { RunEvent } from '../../src/spec/events.js';
import { filesContaining, listFiles, makeProject } from '../support/project.js';

const BUNDLE_CACHE = join(tmpdir(), 'osiris-e2b-test-bundles');

const csvChain = `oml_version: "0.1.0"
name: csv-chain
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [users], config: { path: out/users.csv } }
`;

const slow = `oml_version: "0.1.0"
name: slow
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: slow, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT count(*) AS n FROM range(3000000000)" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [slow], config: { path: out/never.csv } }
`;

const fakes: FakeSandboxApi[] = [];
afterAll(async () => {
  for (const fake of fakes) await fake.dispose();
});

interface Scenario {
  files: Record<string, string>;
  pipeline: string;
  fake?: FakeSandboxOptions;
  adapter?: Omit<E2bAdapterOptions, 'api'>;
  env?: Record<string, string>;
  abort?: AbortController;
  onEvent?(event: RunEvent): void;
  /** Runs before compiling: for fixtures that are not text (databases, links). */
  setup?(dir: string): Promise<void>;
}

async function runOnFakeSandbox(scenario: Scenario) {
  const dir = await makeProject({ ...scenario.files, 'pipelines/p.yaml': scenario.pipeline });
  await scenario.setup?.(dir);
  const fake = new FakeSandboxApi(scenario.fake);
  fakes.push(fake);
  const env = { ...process.env, ...scenario.env };
  const registry = createDefaultRegistry();
  const compiled = await compilePipeline({
    file: join(dir, 'pipelines/p.yaml'),
    projectDir: dir,
    registry,
    env,
  });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const warnings: string[] = [];
  const adapter = createE2bAdapter({
    api: fake,
    env: { E2B_API_KEY: 'e2b_test_key' },
    cacheDir: BUNDLE_CACHE,
    concurrency: 1,
    report: (message, level) => {
      if (level === 'warning') warnings.push(message);
    },
    ...(scenario.abort ? { signal: scenario.abort.signal } : {}),
    ...scenario.adapter,
  });
  const status = await runPipeline({
    buildDir: compiled.buildDir!,
    projectDir: dir,
    registry,
    connections: loadConnections({ cwd: dir, env }),
    adapter,
    ...(scenario.abort ? { signal: scenario.abort.signal } : {}),
    ...(scenario.onEvent ? { onEvent: scenario.onEvent } : {}),
  });
  return { dir, fake, status, warnings, sandbox: fake.sandboxes[0] };
}

describe('e2b adapter: the sandbox is always killed', () => {
  it('kills it after a successful run and brings the output home', async () => {
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n2,Linus\n' },
      pipeline: csvChain,
    });
    expect(run.status.status).toBe('success');
    expect(run.status.adapter).toBe('e2b');
    expect(await readFile(join(run.dir, 'out/users.csv'), 'utf8')).toBe('id,name\n1,Ada\n2,Linus\n');
    expect(run.sandbox?.killed).toBe(true);
  });

  it('kills it when the run is cancelled mid-step (Ctrl-C), without waiting for the step', async () => {
    const abort = new AbortController();
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n' },
      pipeline: slow,
      abort,
      onEvent: (event) => {
        if (event.event === 'step_start' && event.step_id === 'slow') abort.abort();
      },
    });
    expect(run.status.status).toBe('cancelled');
    expect(run.status.steps.find((s) => s.id === 'out')?.status).not.toBe('success');
    expect(existsSync(join(run.dir, 'out/never.csv'))).toBe(false);
    expect(run.sandbox?.killed).toBe(true);
  });

  it('kills it when the run is cancelled while the sandbox is being prepared', async () => {
    const abort = new AbortController();
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n' },
      pipeline: csvChain,
      abort,
      adapter: {
        report: (message) => {
          if (message.includes('created')) abort.abort();
        },
      },
    });
    expect(run.status.status).toBe('cancelled');
    expect(run.status.error?.code).toBe('E_CANCELLED');
    expect(run.sandbox?.killed).toBe(true);
    expect(run.sandbox?.started).toEqual([]);
  });

  it('kills it when preparing fails (the bundle upload breaks off)', async () => {
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n' },
      pipeline: csvChain,
      fake: { failWrite: /\.tar\.gz$/ },
    });
    expect(run.status.status).toBe('failed');
    expect(run.status.error?.code).toBe('E_ADAPTER_UNAVAILABLE');
    expect(run.status.error?.message).toContain('upload');
    expect(run.sandbox?.killed).toBe(true);
  });

  it('kills it when the template has fewer resources than asked for, and says how to get them', async () => {
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n' },
      pipeline: csvChain,
      fake: { resources: { cpuCount: 2, memoryMB: 2048 } },
      adapter: { cpuCount: 8, memoryMB: 16_384 },
    });
    expect(run.status.status).toBe('failed');
    expect(run.status.error?.code).toBe('E_ADAPTER_UNAVAILABLE');
    expect(run.status.error?.message).toContain('2 CPUs');
    expect(run.status.error?.hint).toContain('--e2b-template');
    expect(run.sandbox?.killed).toBe(true);
  });

  it('reports a sandbox that cannot be created with a hint, and has nothing to kill', async () => {
    const rejected = Object.assign(new Error('Unauthorized, please check your credentials.'), {
      name: 'AuthenticationError',
    });
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n' },
      pipeline: csvChain,
      fake: { failCreate: rejected },
    });
    expect(run.status.status).toBe('failed');
    expect(run.status.error?.code).toBe('E_ADAPTER_UNAVAILABLE');
    expect(run.status.error?.hint).toContain('E2B_API_KEY');
    expect(run.fake.sandboxes).toEqual([]);
  });
});

describe('e2b adapter: the API key', () => {
  it('fails with an actionable error, before creating anything, when E2B_API_KEY is missing', async () => {
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n' },
      pipeline: csvChain,
      adapter: { env: {} },
    });
    expect(run.status.status).toBe('failed');
    expect(run.status.error?.code).toBe('E_ADAPTER_UNAVAILABLE');
    expect(run.status.error?.message).toContain('E2B_API_KEY');
    expect(run.status.error?.hint).toContain('export E2B_API_KEY');
    expect(run.status.error?.hint).toContain('--adapter local');
    expect(run.fake.requests).toEqual([]);
  });

  it('reads E2B_API_KEY from the project .env like connection variables', async () => {
    const run = await runOnFakeSandbox({
      files: { 'data/users.csv': 'id,name\n1,Ada\n', '.env': 'E2B_API_KEY=e2b_from_dotenv\n' },
      pipeline: csvChain,
      adapter: { env: {}, template: 'osiris-node20', timeoutMs: 120_000 },
    });
    expect(run.status.status).toBe('success');
    expect(run.fake.requests[0]).toMatchObject({
      apiKey: 'e2b_from_dotenv',
      template: 'osiris-node20',
      timeoutMs: 120_000,
    });
  });
});

describe('e2b adapter: secrets', () => {
  const SECRET_PASSWORD = 'Sqlite-Planted-Password-4471';
  const SECRET_TOKEN = 'Env-Planted-Token-9902';

  it('passes resolved connections only in the worker process environment, never in a file', async () => {
    const run = await runOnFakeSandbox({
      files: {
        '.env': `DEMO_DB_PASSWORD=${SECRET_PASSWORD}\n`,
        'data/README.txt': 'demo.sqlite is made by the test',
        'osiris_connections.yaml': `version: 1
connections:
  sqlite:
    demo:
      default: true
      path: data/demo.sqlite
      password: \${DEMO_DB_PASSWORD}
`,
      },
      env: { OSIRIS_PLANTED_TOKEN: SECRET_TOKEN },
      pipeline: `oml_version: "0.1.0"
name: secret-source
steps:
  - { id: movies, component: sqlite.extractor, mode: read, config: { connection: "@sqlite.demo", table: movies } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [movies], config: { path: out/movies.csv } }
`,
      setup: async (dir) => {
        const database = new Database(join(dir, 'data/demo.sqlite'));
        database.exec(
          "CREATE TABLE movies (id INTEGER, title TEXT); INSERT INTO movies VALUES (1, 'Alien'), (2, 'Heat');",
        );
        database.close();
      },
    });
    expect(run.status.status).toBe('success');
    expect(await readFile(join(run.dir, 'out/movies.csv'), 'utf8')).toBe('id,title\n1,Alien\n2,Heat\n');

    // The password did reach the worker: as a variable of that one process.
    const [worker] = run.sandbox!.started;
    expect(worker!.envs.OSIRIS_WORKER_CONNECTIONS).toContain(SECRET_PASSWORD);
    expect(worker!.command).not.toContain(SECRET_PASSWORD);
    // The E2B key is for creating the sandbox, not for anything inside it.
    expect(JSON.stringify(run.sandbox!.started)).not.toContain('e2b_test_key');
    expect(await filesContaining(run.sandbox!.root, 'e2b_test_key')).toEqual([]);
    // ...and is in no file: not in the project (other than the .env the user wrote), not in the
    // sandbox, not in the bundle cache. The token planted in the environment is nowhere either.
    for (const secret of [SECRET_PASSWORD, SECRET_TOKEN]) {
      const local = (await filesContaining(run.dir, secret)).filter((file) => file !== join(run.dir, '.env'));
      expect(local).toEqual([]);
      expect(await filesContaining(run.sandbox!.root, secret)).toEqual([]);
      expect(await filesContaining(BUNDLE_CACHE, secret)).toEqual([]);
    }
  });
});

describe('e2b adapter: project files', () => {
  it('uploads only the files the read steps name, never .env or other project files', async () => {
    const run = await runOnFakeSandbox({
      files: {
        'data/users.csv': 'id,name\n1,Ada\n',
        'data/unrelated.csv': 'x\n1\n',
        '.env': 'SOMETHING=else\n',
        'notes.txt': 'private',
      },
      pipeline: csvChain,
    });
    expect(run.status.status).toBe('success');
    const uploaded = run.sandbox!.writes.filter((path) => !path.endsWith('.tar.gz'));
    expect(uploaded.map((path) => path.slice(path.indexOf('/project/')))).toEqual([
      '/project/data/users.csv',
    ]);
    const inSandbox = (await listFiles(run.sandbox!.root)).filter(
      (file) => file.includes('/.osiris/runs/') && file.includes('/project/'),
    );
    expect(inSandbox.map((file) => file.slice(file.indexOf('/project/'))).sort()).toEqual([
      '/project/data/users.csv',
      '/project/out/users.csv',
    ]);
  });

  it('refuses to upload a link that leads outside the project, and says so', async () => {
    // A marker no file of the worker bundle contains (its code says "outside" in messages).
    const outside = join(
      await makeProject({ 'secret.csv': 'id,name\n1,Outside-Marker-7731\n' }),
      'secret.csv',
    );
    const run = await runOnFakeSandbox({
      files: {},
      pipeline: csvChain,
      setup: async (dir) => {
        await writeFile(join(dir, 'placeholder'), '');
        await symlink(outside, join(dir, 'data-link.csv'));
        await writeFile(
          join(dir, 'pipelines/p.yaml'),
          csvChain.replace('path: data/users.csv', 'path: data-link.csv'),
        );
      },
    });
    expect(run.status.status).toBe('failed');
    expect(run.status.error?.code).toBe('E_FILE_NOT_FOUND');
    expect(run.warnings.join('\n')).toContain('data-link.csv');
    expect(await filesContaining(run.sandbox!.root, 'Outside-Marker-7731')).toEqual([]);
    expect(run.sandbox?.killed).toBe(true);
  });

  it('never gets as far as a sandbox with a path that leads outside the project', async () => {
    const dir = await makeProject({
      'pipelines/p.yaml': csvChain.replace('path: data/users.csv', 'path: ../elsewhere.csv'),
    });
    const compiled = await compilePipeline({
      file: join(dir, 'pipelines/p.yaml'),
      projectDir: dir,
      registry: createDefaultRegistry(),
      env: process.env,
    });
    expect(compiled.diagnostics.map((d) => d.code)).toContain('OML066');
    expect(compiled.buildDir).toBeUndefined();
  });
});
