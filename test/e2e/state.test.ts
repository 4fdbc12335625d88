import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
} from '../../src/components/postgres/testing/postgres-test-kit.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { OSIRIS_BIN, runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

const PIPELINE = `oml_version: "0.1.0"
name: orders-daily
steps:
  - id: extract-orders
    component: sqlite.extractor
    mode: read
    config: { path: data/shop.sqlite, table: orders, incremental: { cursor: id } }
  - { id: write-orders, component: filesystem.csv_writer, mode: write, needs: [extract-orders], config: { path: out/orders.csv } }
`;

function seed(dir: string, ids: number[]): void {
  const db = new Database(join(dir, 'data/shop.sqlite'));
  db.exec('CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, note TEXT)');
  for (const id of ids) db.prepare('INSERT INTO orders VALUES (?, ?)').run(id, `order ${id}`);
  db.close();
}

describe('osiris state (built CLI)', () => {
  it('lists, shows, sets and resets the cursors a run stored', async () => {
    const dir = await makeProject({ 'pipelines/orders-daily.yaml': PIPELINE, 'data/.keep': '' });
    seed(dir, [1, 2, 3]);
    const empty = await runCli(['state', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(empty.stdout)).toEqual({ ok: true, cursors: [] });

    const run = await runCli(['run', 'pipelines/orders-daily.yaml', '--json', '--no-report'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse((await runCli(['state', 'list', '--json'], { cwd: dir })).stdout);
    expect(list.cursors).toMatchObject([
      { pipeline: 'orders-daily', step: 'extract-orders', cursor: 'id', value: '3', kind: 'integer' },
    ]);
    const show = JSON.parse(
      (await runCli(['state', 'show', 'pipelines/orders-daily.yaml', '--json'], { cwd: dir })).stdout,
    );
    expect(show.windows).toMatchObject([
      { step_id: 'extract-orders', from_value: null, to_value: '3', rows: 3 },
    ]);

    // `set` asks first; without a terminal and without --yes it refuses and changes nothing.
    const refused = await runCli(
      ['state', 'set', 'orders-daily', '--step', 'extract-orders', '--value', '1'],
      {
        cwd: dir,
      },
    );
    expect(refused.code).toBe(2);
    const set = await runCli(
      ['state', 'set', 'orders-daily', '--step', 'extract-orders', '--value', '1', '--yes', '--json'],
      { cwd: dir },
    );
    expect(JSON.parse(set.stdout).cursor).toMatchObject({ value: '1', run_id: null });
    seed(dir, [4]);
    const again = JSON.parse(
      (await runCli(['run', 'pipelines/orders-daily.yaml', '--json'], { cwd: dir })).stdout,
    );
    // Read from the value set by hand: ids 1..4.
    expect(again.steps.find((step: { id: string }) => step.id === 'extract-orders').rows).toBe(4);
    // logs show and the HTML report show the window and where it came from.
    const logs = await runCli(['logs', 'show', again.run_id], { cwd: dir });
    expect(logs.stdout).toContain('extract-orders: window id >= 1 (state), 4 rows read, stored 4');
    const html = readFileSync(again.report, 'utf8');
    expect(html).toContain('incremental window');
    expect(html).toContain('id ≥ 1 (state) → stored 4');

    const reset = await runCli(['state', 'reset', 'orders-daily', '--json'], { cwd: dir });
    expect(JSON.parse(reset.stdout)).toMatchObject({ ok: true, removed: 1 });
    const shown = await runCli(['state', 'show', 'orders-daily'], { cwd: dir });
    expect(shown.stdout).toContain('No incremental state for orders-daily');

    const help = await runCli(['state', '--help'], { cwd: dir });
    expect(help.stdout).toContain('--full-refresh');
    expect(help.stdout).toContain('osiris state set orders-daily');
  });
});

describeIfServers('postgres', 'SIGKILL of osiris run during the write (built CLI, real PostgreSQL)', () => {
  let client: pg.Client;
  let schema: string;
  beforeAll(async () => {
    client = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(client, 'killed');
  });
  afterAll(async () => {
    await dropScratchSchema(client, schema);
    await client.end();
  });

  it('leaves the state unchanged; the next run catches up without duplicates', async () => {
    const facts = requireTestServer('postgres');
    const dir = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  postgres:
    wh: { host: ${facts.host}, port: ${facts.port}, database: ${facts.database}, user: ${facts.user}, password: "\${PG_PASSWORD}" }
`,
      'pipelines/orders-daily.yaml': PIPELINE.replace(
        '{ id: write-orders, component: filesystem.csv_writer, mode: write, needs: [extract-orders], config: { path: out/orders.csv } }',
        `{ id: write-orders, component: postgres.writer, mode: write, needs: [extract-orders], config: { connection: "@postgres.wh", schema: ${schema}, table: orders, write_mode: upsert, primary_key: id } }`,
      ),
      'data/.keep': '',
    });
    const env = { PG_PASSWORD: facts.password };
    seed(dir, [1, 2, 3]);
    const first = await runCli(['run', 'pipelines/orders-daily.yaml', '--json', '--no-report'], {
      cwd: dir,
      env,
    });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    seed(dir, [4, 5]);

    // Hold the target table so the writer waits inside its transaction, then kill the run there.
    const holder = new pg.Client({ ...facts });
    await holder.connect();
    await holder.query(`BEGIN; LOCK TABLE "${schema}"."orders" IN ACCESS EXCLUSIVE MODE`);
    const child = spawn(
      process.execPath,
      [OSIRIS_BIN, 'run', 'pipelines/orders-daily.yaml', '--events-json'],
      {
        cwd: dir,
        env: { ...process.env, ...env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr.on('data', (chunk) => {
        seen += String(chunk);
        if (/"event":"step_start"[^\n]*"step_id":"write-orders"/.test(seen)) resolve();
      });
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();

    const state = JSON.parse(
      (await runCli(['state', 'show', 'orders-daily', '--json'], { cwd: dir })).stdout,
    );
    expect(state.cursors).toMatchObject([{ step: 'extract-orders', value: '3' }]);
    const next = await runCli(['run', 'pipelines/orders-daily.yaml', '--json', '--no-report'], {
      cwd: dir,
      env,
    });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const rows = await client.query(`SELECT id FROM "${schema}"."orders" ORDER BY id`);
    expect(rows.rows.map((row) => Number(row.id))).toEqual([1, 2, 3, 4, 5]);
    const after = JSON.parse(
      (await runCli(['state', 'show', 'orders-daily', '--json'], { cwd: dir })).stdout,
    );
    expect(after.cursors).toMatchObject([{ step: 'extract-orders', value: '5' }]);
  });
});
