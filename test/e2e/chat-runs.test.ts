import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, loadScenario, startFakeLlmServer } from '../../src/agent/testing/index.js';
import { SCENARIOS } from '../agent/support/chat-harness.js';
import { findFreePort } from '../setup/free-port.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';

let server: FakeLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const MODEL_ENV = {
  OPENAI_API_KEY: 'sk-test-e2e',
  ANTHROPIC_API_KEY: undefined,
  GOOGLE_GENERATIVE_AI_API_KEY: undefined,
  OSIRIS_HOME: undefined,
  MYSQL_PASSWORD: 'not-used-server-is-down',
};

/** A project whose nightly pipeline failed because its MySQL server is down (nothing listens). */
async function serverDownProject(): Promise<string> {
  const port = await findFreePort();
  const dir = await makeProject({
    'osiris_connections.yaml': `version: 1
connections:
  mysql:
    shop:
      default: true
      host: 127.0.0.1
      port: ${port}
      database: shop
      user: etl
      password: \${MYSQL_PASSWORD}
      connect_retries: 0
`,
    'pipelines/nightly-orders.yaml': `oml_version: "0.1.0"
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
`,
  });
  const run = await runCli(['run', 'pipelines/nightly-orders.yaml', '--no-report'], {
    cwd: dir,
    env: MODEL_ENV,
  });
  expect(run.code).toBe(3);
  return dir;
}

describe('osiris chat on runs (built CLI, fake model over HTTP)', () => {
  it('one shot: "why did the last run fail?" answers from the run, suggests connections doctor', async () => {
    const dir = await serverDownProject();
    server = await startFakeLlmServer({
      scenario: await loadScenario(join(SCENARIOS, 'agent-run-server-down.yaml')),
    });
    const result = await runCli(
      [
        'chat',
        '--no-samples',
        '--provider',
        'openai',
        '--model',
        'gpt-4o-mini',
        '--base-url',
        server.openaiBaseUrl,
        'why did the last run fail?',
      ],
      { cwd: dir, env: MODEL_ENV },
    );
    expect(result.stderr).toContain('listing failed runs… 1 run');
    expect(result.stderr).toMatch(/reading run run_\S+… failed: extract-orders E_CONNECTION_FAILED/);
    expect(result.stdout).toContain('`osiris connections doctor @mysql.shop`');
    expect(result.code).toBe(0);
    expect(server.remaining()).toBe(0);
  });
});
