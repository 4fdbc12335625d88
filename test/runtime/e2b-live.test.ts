import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import type { ExecutionAdapter } from '../../src/runtime/adapters/adapter.js';
import { createE2bAdapter } from '../../src/runtime/adapters/e2b/e2b-adapter.js';
import { createLocalAdapter } from '../../src/runtime/adapters/local.js';
import { runPipeline } from '../../src/runtime/runner.js';
import { makeProject } from '../support/project.js';

const pipeline = `oml_version: "0.1.0"
name: live-chain
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: orders, component: filesystem.csv_extractor, mode: read, config: { path: data/orders.csv } }
  - { id: totals, component: duckdb.processor, mode: transform, needs: [users, orders], config: { query: "SELECT u.id, u.name, sum(o.amount) AS total FROM df_users u LEFT JOIN df_orders o ON o.user_id = u.id GROUP BY ALL ORDER BY u.id" } }
  - { id: out, component: filesystem.parquet_writer, mode: write, needs: [totals], config: { path: out/totals.parquet } }
`;

async function run(adapter: ExecutionAdapter) {
  const dir = await makeProject({
    'data/users.csv': 'id,name\n1,Ada\n2,Linus\n3,Grace\n',
    'data/orders.csv': 'order_id,user_id,amount\n10,1,12.50\n11,1,7.25\n12,3,100.00\n',
    'pipelines/live.yaml': pipeline,
  });
  const registry = createDefaultRegistry();
  const compiled = await compilePipeline({
    file: join(dir, 'pipelines/live.yaml'),
    projectDir: dir,
    registry,
    env: process.env,
  });
  const status = await runPipeline({
    buildDir: compiled.buildDir!,
    projectDir: dir,
    registry,
    connections: loadConnections({ cwd: dir, env: process.env }),
    adapter,
  });
  return { status, output: await readFile(join(dir, 'out/totals.parquet')).catch(() => undefined) };
}

// Talks to the real E2B service: runs only where E2B_API_KEY is set (never in CI here).
describe.skipIf(!process.env.E2B_API_KEY)('e2b adapter against the real E2B service', () => {
  it('runs a multi-input pipeline remotely with the same bytes as locally', {
    timeout: 600_000,
  }, async () => {
    const local = await run(createLocalAdapter());
    const remote = await run(
      createE2bAdapter({ ...(process.env.E2B_TEMPLATE ? { template: process.env.E2B_TEMPLATE } : {}) }),
    );
    expect(remote.status.error).toBeUndefined();
    expect(remote.status.status).toBe('success');
    expect(remote.status.total_rows).toBe(local.status.total_rows);
    expect(remote.output).toEqual(local.output);
  });
});
