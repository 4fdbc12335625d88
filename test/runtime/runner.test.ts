import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import { createLocalAdapter } from '../../src/runtime/adapters/local.js';
import { runPipeline } from '../../src/runtime/runner.js';
import { OsirisError } from '../../src/spec/errors.js';
import type { RunEvent } from '../../src/spec/events.js';
import { faultComponent } from '../support/fault-components.js';
import { filesContaining, listFiles, makeProject } from '../support/project.js';

const SECRET = 'Planted-S3cret-value-4242';

const branchesCsv = {
  'data/users.csv': 'id,name,country\n1,Ada,UK\n2,Linus,FI\n3,Grace,US\n',
  'data/orders.csv': 'order_id,user_id,amount\n10,1,12.50\n11,1,7.25\n12,3,100.00\n13,9,1.00\n',
  'osiris_connections.yaml': `version: 1
connections:
  duckdb:
    vault:
      path: data/none.duckdb
      password: \${VAULT_PASSWORD}
`,
};

const joinPipeline = `oml_version: "0.1.0"
name: user-totals
steps:
  - id: users
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/users.csv }
  - id: orders
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/orders.csv }
  - id: totals
    component: duckdb.processor
    mode: transform
    needs: [users, orders]
    config:
      query: |
        SELECT u.id, u.name, count(o.order_id) AS orders, coalesce(sum(o.amount), 0) AS total
        FROM df_users u LEFT JOIN df_orders o ON o.user_id = u.id
        GROUP BY u.id, u.name ORDER BY u.id
  - id: write-csv
    component: filesystem.csv_writer
    mode: write
    needs: [totals]
    config: { path: output/totals.csv }
  - id: write-json
    component: filesystem.json_writer
    mode: write
    needs: [totals]
    config: { path: output/totals.jsonl }
`;

async function compileAndRun(
  projectDir: string,
  file: string,
  options: {
    registry?: ReturnType<typeof createDefaultRegistry>;
    onEvent?: (e: RunEvent) => void;
    signal?: AbortSignal;
  } = {},
) {
  const env = { ...process.env, VAULT_PASSWORD: SECRET, OSIRIS_TEST_TOKEN: SECRET };
  const registry = options.registry ?? createDefaultRegistry();
  const compiled = await compilePipeline({ file: join(projectDir, file), projectDir, registry, env });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const connections = loadConnections({ cwd: projectDir, env });
  return runPipeline({
    buildDir: compiled.buildDir!,
    projectDir,
    registry,
    connections,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

describe('runner', () => {
  it('runs two branches joined in duckdb.processor and writes every value', async () => {
    const dir = await makeProject({ ...branchesCsv, 'pipelines/p.yaml': joinPipeline });
    const status = await compileAndRun(dir, 'pipelines/p.yaml');
    expect(status.status).toBe('success');
    expect(status.steps.map((s) => [s.id, s.status, s.rows])).toEqual([
      ['users', 'success', 3],
      ['orders', 'success', 4],
      ['totals', 'success', 3],
      ['write-csv', 'success', 3],
      ['write-json', 'success', 3],
    ]);
    expect(await readFile(join(dir, 'output/totals.csv'), 'utf8')).toBe(
      'id,name,orders,total\n1,Ada,2,19.75\n2,Linus,0,0.0\n3,Grace,1,100.0\n',
    );
    const json = (await readFile(join(dir, 'output/totals.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json.map((r) => [r.id, r.name, Number(r.orders), Number(r.total)])).toEqual([
      [1, 'Ada', 2, 19.75],
      [2, 'Linus', 0, 0],
      [3, 'Grace', 1, 100],
    ]);

    const session = join(dir, status.session_dir);
    const events = (await readFile(join(session, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('run_start');
    expect(names[1]).toBe('adapter_selected');
    expect(names.at(-1)).toBe('run_complete');
    expect(names.filter((n) => n === 'step_complete')).toHaveLength(5);
    for (const event of events) expect(event.run_id).toBe(status.run_id);
    const metrics = (await readFile(join(session, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(metrics.filter((m) => m.metric === 'rows_written' && m.step_id === 'write-csv')[0].value).toBe(3);
    expect(metrics.filter((m) => m.metric === 'rows_read' && m.step_id === 'users')[0].value).toBe(3);
    expect(metrics.some((m) => m.metric === 'peak_rss_bytes' && m.value > 0)).toBe(true);
    expect(existsSync(join(session, 'manifest.yaml'))).toBe(true);
    expect(existsSync(join(session, 'cfg', 'totals.json'))).toBe(true);
    const statusFile = JSON.parse(await readFile(join(session, 'status.json'), 'utf8'));
    // Two writers of the same 3 rows delivered 3 rows, not 6.
    expect(statusFile).toMatchObject({ status: 'success', total_rows: 3, pipeline: 'user-totals' });
  });

  it('marks the run failed, skips dependents, keeps independent branches, and names the error', async () => {
    const registry = createDefaultRegistry().with(faultComponent);
    const pipeline = `oml_version: "0.1.0"
name: partial-failure
steps:
  - id: users
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/users.csv }
  - id: boom
    component: test.fault
    mode: transform
    needs: [users]
    config: { code: E_QUERY_FAILED, message: "table vanished", hint: "check the source" }
  - id: after-boom
    component: filesystem.csv_writer
    mode: write
    needs: [boom]
    config: { path: output/never.csv }
  - id: other-branch
    component: filesystem.csv_writer
    mode: write
    needs: [users]
    config: { path: output/users.csv }
`;
    const dir = await makeProject({ ...branchesCsv, 'pipelines/p.yaml': pipeline });
    const status = await compileAndRun(dir, 'pipelines/p.yaml', { registry });
    expect(status.status).toBe('failed');
    expect(status.error).toMatchObject({
      code: 'E_QUERY_FAILED',
      message: 'table vanished',
      hint: 'check the source',
      step_id: 'boom',
    });
    expect(Object.fromEntries(status.steps.map((s) => [s.id, s.status]))).toEqual({
      users: 'success',
      boom: 'failed',
      'after-boom': 'skipped',
      'other-branch': 'success',
    });
    expect(existsSync(join(dir, 'output/never.csv'))).toBe(false);
    expect(existsSync(join(dir, 'output/users.csv'))).toBe(true);
    const events = (await readFile(join(dir, status.session_dir, 'events.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.event === 'step_failed')).toMatchObject({
      step_id: 'boom',
      error_code: 'E_QUERY_FAILED',
    });
    expect(events.find((e) => e.event === 'step_skipped')).toMatchObject({
      step_id: 'after-boom',
      upstream: 'boom',
    });
  });

  it('cancels mid-run: the running step stops, nothing after it runs, no partial output remains', async () => {
    const dir = await makeProject({ ...branchesCsv, 'pipelines/p.yaml': joinPipeline });
    const controller = new AbortController();
    const status = await compileAndRun(dir, 'pipelines/p.yaml', {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.event === 'step_start' && event.step_id === 'write-csv') controller.abort();
      },
    });
    expect(status.status).toBe('cancelled');
    expect(status.error?.code).toBe('E_CANCELLED');
    expect(status.steps.find((s) => s.id === 'write-json')?.status).toBe('cancelled');
    const outputs = await listFiles(join(dir, 'output'));
    expect(outputs).toEqual([]);
  });

  it('finishes the session and fails the run when collecting results fails', async () => {
    const dir = await makeProject({ ...branchesCsv, 'pipelines/p.yaml': joinPipeline });
    const registry = createDefaultRegistry();
    const compiled = await compilePipeline({
      file: join(dir, 'pipelines/p.yaml'),
      projectDir: dir,
      registry,
      env: process.env,
    });
    const local = createLocalAdapter();
    const status = await runPipeline({
      buildDir: compiled.buildDir!,
      projectDir: dir,
      registry,
      connections: loadConnections({ cwd: dir, env: process.env }),
      adapter: {
        ...local,
        async collect(prepared: Parameters<typeof local.collect>[0]) {
          await local.collect(prepared);
          throw new OsirisError('E_WRITE_FAILED', 'could not download the results archive');
        },
      },
    });
    expect(status.status).toBe('failed');
    expect(status.error).toMatchObject({
      code: 'E_WRITE_FAILED',
      message: 'could not download the results archive',
    });
    const onDisk = JSON.parse(await readFile(join(dir, status.session_dir, 'status.json'), 'utf8'));
    expect(onDisk.status).toBe('failed');
    const events = (await readFile(join(dir, status.session_dir, 'events.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(events.at(-1)!)).toMatchObject({ event: 'run_complete', status: 'failed' });
  });

  it('never writes a planted secret to the session, the build dir or the outputs', async () => {
    const registry = createDefaultRegistry().with(faultComponent);
    const pipeline = `oml_version: "0.1.0"
name: secret-scan
steps:
  - id: users
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/users.csv }
  - id: leak
    component: test.fault
    mode: write
    needs: [users]
    config: { connection: "@duckdb.vault", leak_secret: true, message: "connect failed" }
`;
    const dir = await makeProject({ ...branchesCsv, 'pipelines/p.yaml': pipeline });
    const events: RunEvent[] = [];
    const status = await compileAndRun(dir, 'pipelines/p.yaml', { registry, onEvent: (e) => events.push(e) });
    expect(status.status).toBe('failed');
    expect(status.error?.message).toContain('password=***');
    expect(await filesContaining(join(dir, '.osiris'), SECRET)).toEqual([]);
    expect(await filesContaining(join(dir, 'build'), SECRET)).toEqual([]);
    expect(JSON.stringify(status)).not.toContain(SECRET);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });
});
