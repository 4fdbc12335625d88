import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compilePipeline } from '../../src/compiler/index.js';
import { createProjectRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import type { ExecutionAdapter } from '../../src/runtime/adapters/adapter.js';
import { runPipeline } from '../../src/runtime/runner.js';
import { listFiles, makeProject } from './project.js';

export const PARITY_SECRET = 'Parity-Planted-Secret-91';

/** Input files of the parity projects; `.env` plants a secret that must reach no file. */
export const parityFiles = {
  'data/users.csv': 'id,name,country\n1,Ada,UK\n2,Linus,FI\n3,Grace,US\n',
  'data/orders.csv': 'order_id,user_id,amount\n10,1,12.50\n11,1,7.25\n12,3,100.00\n13,9,1.00\n',
  '.env': `OSIRIS_PLANTED_TOKEN=${PARITY_SECRET}\n`,
};

/** Pipelines every adapter must run exactly as the local one does. */
export const parityPipelines: Record<string, string> = {
  chain: `oml_version: "0.1.0"
name: chain
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: upper, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT id, upper(name) AS name FROM input_df ORDER BY id" } }
  - { id: out-csv, component: filesystem.csv_writer, mode: write, needs: [upper], config: { path: out/chain.csv } }
  - { id: out-parquet, component: filesystem.parquet_writer, mode: write, needs: [upper], config: { path: out/chain.parquet } }
`,
  'multi-input': `oml_version: "0.1.0"
name: multi-input
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: orders, component: filesystem.csv_extractor, mode: read, config: { path: data/orders.csv } }
  - id: totals
    component: duckdb.processor
    mode: transform
    needs: [users, orders]
    config:
      query: "SELECT u.id, u.name, sum(o.amount) AS total FROM df_users u LEFT JOIN df_orders o ON o.user_id = u.id GROUP BY ALL ORDER BY u.id"
  - { id: out-json, component: filesystem.json_writer, mode: write, needs: [totals], config: { path: out/totals.jsonl } }
`,
  // Each step's table is dropped once its last consumer has finished: 'tables' sees df_b (out-b
  // still needs it) and df_c (its own input), not df_a (b, its only consumer, is done). Its own
  // table, being made by that very statement, is left out: whether DuckDB lists it already
  // depends on thread timing.
  'released-tables': `oml_version: "0.1.0"
name: released-tables
steps:
  - { id: a, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: b, component: duckdb.processor, mode: transform, needs: [a], config: { query: "SELECT * FROM input_df" } }
  - { id: c, component: duckdb.processor, mode: transform, needs: [b], config: { query: "SELECT * FROM input_df" } }
  - { id: tables, component: duckdb.processor, mode: transform, needs: [c], config: { query: "SELECT string_agg(table_name, ' ' ORDER BY table_name) AS tables FROM duckdb_tables() WHERE schema_name = 'main' AND table_name <> 'df_tables'" } }
  - { id: out-tables, component: filesystem.csv_writer, mode: write, needs: [tables], config: { path: out/tables.csv } }
  - { id: out-b, component: filesystem.csv_writer, mode: write, needs: [b], config: { path: out/b.csv } }
`,
  // A failure whose hint names the project folder, which differs per run and adapter. The path
  // looks inside the project, so only the run can tell: data/outside-link.csv is a symbolic link
  // that leads outside it (see paritySetup).
  escaping: `oml_version: "0.1.0"
name: escaping
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/outside-link.csv } }
  - { id: out-csv, component: filesystem.csv_writer, mode: write, needs: [users], config: { path: out/never.csv } }
`,
  // Data checks run in the worker like the steps: a warn check reports, an error check (an
  // orphan user_id) fails its step before the writer starts.
  'failing-check': `oml_version: "0.1.0"
name: failing-check
steps:
  - id: users
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/users.csv }
    checks:
      - row_count: { min: 1 }
      - accepted_values: { column: country, values: [UK, US] }
        severity: warn
  - id: orders
    component: filesystem.csv_extractor
    mode: read
    config: { path: data/orders.csv }
    checks:
      - unique: [order_id]
      - relationship: { column: user_id, to: users.id }
  - { id: out-csv, component: filesystem.csv_writer, mode: write, needs: [orders], config: { path: out/never.csv } }
`,
  // A project component (components/acme.shout/, see paritySetup) runs wherever the built-ins run:
  // the subprocess and E2B workers load it from the project folder they were given.
  'project-component': `oml_version: "0.1.0"
name: project-component
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: shout, component: acme.shout, mode: transform, needs: [users], config: { column: name } }
  - { id: out-csv, component: filesystem.csv_writer, mode: write, needs: [shout], config: { path: out/shout.csv } }
`,
  failing: `oml_version: "0.1.0"
name: failing
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: broken, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT no_such_column FROM input_df" } }
  - { id: out-csv, component: filesystem.csv_writer, mode: write, needs: [broken], config: { path: out/never.csv } }
`,
};

const SHOUT_SPEC = `name: acme.shout
version: 0.1.0
api_version: 1
title: Shout a column
description: Upper-cases one text column of its input.
modes: [transform]
capabilities: {}
configSchema:
  type: object
  additionalProperties: false
  required: [column]
  properties:
    column: { type: string, minLength: 1, description: The column to upper-case. }
secrets: []
examples:
  - title: Shout the names
    config: { column: name }
llmHints:
  promptGuidance: Use acme.shout to upper-case one column.
`;

const SHOUT_DRIVER = `export async function run({ stepId, config, inputs, ctx }) {
  const table = ctx.dataPlane.tableFor(stepId);
  const column = ctx.dataPlane.quote(config.column);
  await ctx.dataPlane.run(
    \`CREATE TABLE \${ctx.dataPlane.quote(table)} AS SELECT * REPLACE (upper(\${column}) AS \${column}) FROM \${ctx.dataPlane.quote(inputs[0].table)}\`,
  );
  const rows = await ctx.dataPlane.count(table);
  ctx.log.debug('shouted', { column: config.column, rows });
  return { table, rows };
}
`;

/**
 * Project arrangements files alone cannot express, run after makeProject. The escaping pipeline's
 * link points to one file shared by every project, so its message is the same in each.
 */
export const paritySetup: Record<string, (dir: string) => Promise<void>> = {
  'project-component': async (dir) => {
    await mkdir(join(dir, 'components/acme.shout'), { recursive: true });
    await writeFile(join(dir, 'components/acme.shout/spec.yaml'), SHOUT_SPEC);
    await writeFile(join(dir, 'components/acme.shout/driver.js'), SHOUT_DRIVER);
  },
  escaping: async (dir) => {
    const outside = join(tmpdir(), 'osiris-parity-outside.csv');
    await writeFile(outside, 'id,name\n1,Outside\n');
    await symlink(outside, join(dir, 'data/outside-link.csv'));
  },
};

/** A parity project for one pipeline: its files, then its setup. */
export async function makeParityProject(name: string): Promise<string> {
  const dir = await makeProject({ ...parityFiles, [`pipelines/${name}.yaml`]: parityPipelines[name]! });
  await paritySetup[name]?.(dir);
  return dir;
}

/** What must match across adapters: event names in order with their non-time fields, metrics without time values. */
export async function observeRun(dir: string, adapter: ExecutionAdapter, name: string) {
  const registry = createProjectRegistry(dir);
  const env = { ...process.env, OSIRIS_PLANTED_TOKEN: PARITY_SECRET };
  const compiled = await compilePipeline({
    file: join(dir, `pipelines/${name}.yaml`),
    projectDir: dir,
    registry,
    env,
  });
  const status = await runPipeline({
    buildDir: compiled.buildDir!,
    projectDir: dir,
    registry,
    connections: loadConnections({ cwd: dir, env }),
    adapter,
  });
  const session = join(dir, status.session_dir);
  const read = async (file: string) =>
    (await readFile(join(session, file), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  // DuckDB sizes its temp-space cap from the disk's free space at that moment: a fact of the
  // machine, not of the adapter.
  const timeFields = new Set(['ts', 'run_id', 'duration_ms', 'adapter', 'max_temp_directory_size']);
  // Each run has its own project folder; messages that name it must name it the same way.
  const anyProject = (text: string) => text.split(dir).join('<project>');
  const events = (await read('events.jsonl')).map((event) =>
    JSON.parse(
      anyProject(
        JSON.stringify(Object.fromEntries(Object.entries(event).filter(([key]) => !timeFields.has(key)))),
      ),
    ),
  );
  const metrics = (await read('metrics.jsonl'))
    .filter((metric) => metric.unit !== 'ms' && metric.metric !== 'peak_rss_bytes')
    .map((metric) => [metric.metric, metric.step_id, metric.value]);
  const outputs: Record<string, string> = {};
  for (const file of await listFiles(join(dir, 'out'))) {
    outputs[file.slice(dir.length)] = (await readFile(file)).toString('base64');
  }
  return {
    status: status.status,
    error: status.error?.code,
    errorText: anyProject(`${status.error?.message} ${status.error?.hint}`),
    events,
    metrics,
    outputs,
    metricNames: (await read('metrics.jsonl')).map((metric) => metric.metric),
    session,
  };
}
