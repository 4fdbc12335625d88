import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createScratchDatabase, openMysql } from '../../src/components/mysql/mysql-test-support.js';
import { createProjectRegistry } from '../../src/composition/builtins.js';
import { listRuns } from '../../src/observability/logs/index.js';
import { runTarget } from '../../src/runtime/run-target.js';
import { findFreePort } from '../setup/free-port.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { filesContaining, makeProject } from '../support/project.js';
import { type ChatHarness, startChatHarness } from './support/chat-harness.js';

const PIPELINE_FILE = 'pipelines/nightly-orders.yaml';
const PIPELINE = `oml_version: "0.1.0"
name: nightly-orders
steps:
  - id: extract-orders
    component: mysql.extractor
    mode: read
    config:
      connection: "@mysql.shop"
      query: SELECT id, customer, amount FROM orders ORDER BY id
  - id: write-orders
    component: filesystem.csv_writer
    mode: write
    needs: [extract-orders]
    config:
      path: output/orders.csv
`;

let harness: ChatHarness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function connectionsYaml(fields: { host: string; port: number; database: string; user: string }): string {
  return `version: 1
connections:
  mysql:
    shop:
      default: true
      host: ${fields.host}
      port: ${fields.port}
      database: ${fields.database}
      user: ${fields.user}
      password: \${MYSQL_PASSWORD}
      connect_retries: 0
`;
}

/**
 * The nightly pipeline ran once on MariaDB; then the source renamed `amount` to `total_amount`
 * and the next run failed. Returns the project and the scratch database.
 */
async function brokenNightlyRun() {
  const scratch = await createScratchDatabase(requireTestServer('mysql'));
  cleanups.push(scratch.drop);
  const { facts } = scratch;
  const admin = await openMysql(facts);
  await admin.query('CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2))');
  await admin.query("INSERT INTO orders VALUES (1, 'ada', 12.50), (2, 'bob', 7.25), (3, 'cy', 100.00)");
  const dir = await makeProject({
    'osiris_connections.yaml': connectionsYaml(facts),
    [PIPELINE_FILE]: PIPELINE,
  });
  const env = { MYSQL_PASSWORD: facts.password };
  const first = await runTarget({ target: PIPELINE_FILE, cwd: dir, env, registryFor: createProjectRegistry });
  expect(first.kind === 'run' && first.status.status).toBe('success');
  await admin.query('ALTER TABLE orders CHANGE amount total_amount DECIMAL(10,2)');
  await admin.query("INSERT INTO orders VALUES (4, 'dee', 3.10)");
  await admin.end();
  const second = await runTarget({
    target: PIPELINE_FILE,
    cwd: dir,
    env,
    registryFor: createProjectRegistry,
  });
  expect(second.kind === 'run' && second.status.status).toBe('failed');
  return { dir, env, password: facts.password };
}

describeIfServers('mysql', 'chat answers questions about runs (fake provider, real MariaDB)', () => {
  it('a renamed column: names the step and error, proposes a diff, and after approval the run succeeds', async () => {
    const { dir, env, password } = await brokenNightlyRun();
    const before = await readFile(join(dir, PIPELINE_FILE), 'utf8');
    harness = await startChatHarness({ scenario: 'agent-run-renamed-column.yaml', projectDir: dir, env });

    const turn = await harness.send('why did the nightly-orders run fail?');
    expect(turn.error).toBeUndefined();
    expect(turn.outcome).toBe('proposed');
    const lines = harness.statusLines();
    expect(lines[0]).toBe('listing failed runs… 1 run');
    expect(lines[1]).toMatch(/^reading run run_\S+… failed: extract-orders E_[A-Z_]+$/);
    expect(lines[2]).toMatch(/^reading step extract-orders… failed: E_[A-Z_]+$/);
    expect(lines[4]).toBe(
      'proposing fix… nightly-orders: fix for pipelines/nightly-orders.yaml (awaiting approval)',
    );
    expect(turn.text).toMatch(
      /Step extract-orders failed with E_[A-Z_]+ \[ev\.event\.extract-orders\.step_failed\.\d+\]/,
    );
    expect(turn.proposal).toMatchObject({ name: 'nightly-orders', file: PIPELINE_FILE, previousOml: before });
    expect(turn.proposal?.oml).toContain('total_amount AS amount');
    // Nothing changed yet: the file is as it was until the user approves.
    expect(await readFile(join(dir, PIPELINE_FILE), 'utf8')).toBe(before);

    const ran = await harness.send('approve');
    expect(ran.error).toBeUndefined();
    expect(ran.outcome).toBe('ran');
    expect(ran.run).toMatchObject({ status: 'success', file: PIPELINE_FILE, totalRows: 4 });
    expect(await readFile(join(dir, 'output/orders.csv'), 'utf8')).toBe(
      'id,customer,amount\n1,ada,12.50\n2,bob,7.25\n3,cy,100.00\n4,dee,3.10\n',
    );
    const saved = await readFile(join(dir, PIPELINE_FILE), 'utf8');
    expect(saved).toContain('total_amount AS amount');
    expect(saved.split('\n')[0]).toMatch(/^# Proposed in osiris chat session /);
    expect(harness.server.remaining()).toBe(0);

    harness.chat.close();
    expect(JSON.stringify(harness.server.requests)).not.toContain(password);
    expect(await filesContaining(dir, password)).toEqual([]);
  });

  it('a rejected fix changes nothing on disk', async () => {
    const { dir, env } = await brokenNightlyRun();
    const before = await readFile(join(dir, PIPELINE_FILE), 'utf8');
    const output = await readFile(join(dir, 'output/orders.csv'), 'utf8');
    const runs = await listRuns(dir);
    harness = await startChatHarness({ scenario: 'agent-run-renamed-column.yaml', projectDir: dir, env });

    const turn = await harness.send('why did the nightly-orders run fail?');
    expect(turn.proposal?.file).toBe(PIPELINE_FILE);
    const rejected = await harness.send('reject');
    expect(rejected.outcome).toBe('rejected');
    expect(await readFile(join(dir, PIPELINE_FILE), 'utf8')).toBe(before);
    expect(await readFile(join(dir, 'output/orders.csv'), 'utf8')).toBe(output);
    expect((await listRuns(dir)).map((run) => run.run_id)).toEqual(runs.map((run) => run.run_id));
  });

  it('server down: no OML change, suggests connections doctor', async () => {
    const facts = requireTestServer('mysql');
    const port = await findFreePort();
    const dir = await makeProject({
      'osiris_connections.yaml': connectionsYaml({ ...facts, host: '127.0.0.1', port }),
      [PIPELINE_FILE]: PIPELINE,
    });
    const env = { MYSQL_PASSWORD: facts.password };
    const failed = await runTarget({
      target: PIPELINE_FILE,
      cwd: dir,
      env,
      registryFor: createProjectRegistry,
    });
    expect(failed.kind === 'run' && failed.status.error?.code).toBe('E_CONNECTION_FAILED');
    harness = await startChatHarness({ scenario: 'agent-run-server-down.yaml', projectDir: dir, env });

    const turn = await harness.send('why did the last run fail?');
    expect(turn.error).toBeUndefined();
    expect(turn.outcome).toBe('answered');
    expect(turn.proposal).toBeUndefined();
    expect(harness.chat.session.proposal).toBeUndefined();
    expect(turn.text).toContain('E_CONNECTION_FAILED');
    expect(turn.text).toContain('`osiris connections doctor @mysql.shop`');
    expect(harness.statusLines().some((line) => line.startsWith('proposing'))).toBe(false);
    expect(await readFile(join(dir, PIPELINE_FILE), 'utf8')).toBe(PIPELINE);
    expect(harness.server.remaining()).toBe(0);
  });
});
