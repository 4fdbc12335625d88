import { DRIVER_API_VERSION } from '../spec/driver-api.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

export type ScaffoldMode = 'extract' | 'write' | 'transform';
export const SCAFFOLD_MODES: readonly ScaffoldMode[] = ['extract', 'transform', 'write'];

const NAME_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
const OML_MODE: Record<ScaffoldMode, string> = { extract: 'read', transform: 'transform', write: 'write' };

/**
 * The files of a new, working project component (`osiris components new`): spec.yaml, driver.js
 * (an ES module with JSDoc types from `osiris-etl/driver`, no build step) and driver.test.js (runs
 * with `node --test`, no dependencies). Paths are relative to the component folder.
 */
export function scaffoldComponent(name: string, mode: ScaffoldMode): Map<string, string> {
  if (!NAME_PATTERN.test(name)) {
    throw new OsirisError(ErrorCodes.USAGE, `"${name}" is not a component name`, {
      hint: 'use `family.kind` in lowercase letters, digits and `_`, e.g. `acme.orders_extractor`.',
    });
  }
  return new Map([
    ['spec.yaml', specText(name, mode)],
    ['driver.js', DRIVERS[mode]],
    ['driver.test.js', TESTS[mode]],
  ]);
}

function specText(name: string, mode: ScaffoldMode): string {
  const example = EXAMPLE_STEPS[mode](name);
  return `# A project component: validated like a built-in (\`osiris components validate\`).
name: ${name}
version: 0.1.0
api_version: ${DRIVER_API_VERSION}
title: ${TITLES[mode]}
description: ${DESCRIPTIONS[mode]}
modes: [${mode}]
capabilities: {}
configSchema:
  type: object
  additionalProperties: false
${CONFIG_SCHEMAS[mode]}
secrets: []
examples:
  - title: ${TITLES[mode]} in a pipeline
    config: ${EXAMPLE_CONFIGS[mode]}
    oml: |
      oml_version: "0.1.0"
      name: ${name.replace(/[._]/g, '-')}-example
      steps:
${example}
llmHints:
  promptGuidance: Use ${name} ${PROMPT_GUIDANCE[mode]}
limits:
  timeout_seconds: 600
`;
}

const TITLES: Record<ScaffoldMode, string> = {
  extract: 'Numbered rows',
  transform: 'Keep the first rows',
  write: 'JSON Lines file',
};

const DESCRIPTIONS: Record<ScaffoldMode, string> = {
  extract:
    'Produces `count` numbered rows (id, label). Replace the loop in driver.js with reads from your system.',
  transform: 'Keeps the first `limit` rows of its input. Replace the SQL in driver.js with your own logic.',
  write:
    'Writes its input rows as JSON Lines to `path` in the project. Replace the loop in driver.js to send them elsewhere.',
};

const PROMPT_GUIDANCE: Record<ScaffoldMode, string> = {
  extract: 'to read numbered rows; set `count`.',
  transform: 'to keep the first `limit` rows of one input.',
  write: 'to write rows as JSON Lines to a file in the project; set `path`.',
};

const CONFIG_SCHEMAS: Record<ScaffoldMode, string> = {
  extract: `  required: [count]
  properties:
    count: { type: integer, minimum: 0, maximum: 1000000, description: How many rows to produce. }`,
  transform: `  properties:
    limit: { type: integer, minimum: 0, default: 10, description: How many input rows to keep. }`,
  write: `  required: [path]
  properties:
    path: { type: string, minLength: 1, description: Output file, relative to the project folder. }`,
};

const EXAMPLE_CONFIGS: Record<ScaffoldMode, string> = {
  extract: '{ count: 3 }',
  transform: '{ limit: 10 }',
  write: '{ path: output/rows.jsonl }',
};

const EXAMPLE_STEPS: Record<ScaffoldMode, (name: string) => string> = {
  extract: (name) => `        - id: numbers
          component: ${name}
          mode: ${OML_MODE.extract}
          needs: []
          config: { count: 3 }`,
  transform: (name) => `        - id: numbers
          component: duckdb.processor
          mode: transform
          needs: []
          config: { query: "SELECT range AS id FROM range(100)" }
        - id: first
          component: ${name}
          mode: ${OML_MODE.transform}
          needs: [numbers]
          config: { limit: 10 }`,
  write: (name) => `        - id: numbers
          component: duckdb.processor
          mode: transform
          needs: []
          config: { query: "SELECT range AS id FROM range(3)" }
        - id: save
          component: ${name}
          mode: ${OML_MODE.write}
          needs: [numbers]
          config: { path: output/rows.jsonl }`,
};

const HEADER = `// @ts-check
// A project component's driver: an ES module exporting \`run\`. Types: \`osiris-etl/driver\`
// (DRIVER_API_VERSION ${DRIVER_API_VERSION}, the \`api_version\` in spec.yaml). Osiris owns timing, metrics,
// cancellation and the time limit around \`run\`; \`ctx.signal\` says when to stop.
/** @typedef {import('osiris-etl/driver').DriverRunInput} DriverRunInput */
/** @typedef {import('osiris-etl/driver').DriverResult} DriverResult */
`;

const DRIVERS: Record<ScaffoldMode, string> = {
  extract: `${HEADER}
const BATCH_ROWS = 1000;

/**
 * Streams rows into the step's data-plane table in batches (never the whole table in memory).
 * @param {DriverRunInput} input
 * @returns {Promise<DriverResult>}
 */
export async function run({ stepId, config, ctx }) {
  const table = ctx.dataPlane.tableFor(stepId);
  const columns = [
    { name: 'id', type: 'BIGINT' },
    { name: 'label', type: 'VARCHAR' },
  ];
  const count = Number(config.count);
  async function* batches() {
    let batch = [];
    for (let id = 1; id <= count; id += 1) {
      if (ctx.signal.aborted) return;
      batch.push([id, \`row \${id}\`]);
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  const rows = await ctx.dataPlane.appendRows(table, columns, batches(), (done) => ctx.progress(done));
  return { table, rows };
}
`,
  transform: `${HEADER}
/**
 * Runs SQL in the run's DuckDB database: the input is the table of the step it needs.
 * @param {DriverRunInput} input
 * @returns {Promise<DriverResult>}
 */
export async function run({ stepId, config, inputs, ctx }) {
  const input = inputs[0];
  if (!input) throw new Error('this component needs one input step (needs: [step])');
  const table = ctx.dataPlane.tableFor(stepId);
  const limit = Math.trunc(Number(config.limit ?? 10));
  await ctx.dataPlane.run(
    \`CREATE OR REPLACE TABLE \${ctx.dataPlane.quote(table)} AS SELECT * FROM \${ctx.dataPlane.quote(input.table)} LIMIT \${limit}\`,
  );
  return { table, rows: await ctx.dataPlane.count(table) };
}
`,
  write: `${HEADER}
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { once } from 'node:events';

/**
 * Reads the input in chunks and writes one JSON object per line. The file appears only when
 * complete (written beside it, then renamed), so a failed run leaves nothing half-written.
 * @param {DriverRunInput} input
 * @returns {Promise<DriverResult>}
 */
export async function run({ config, inputs, ctx }) {
  const input = inputs[0];
  if (!input) throw new Error('this component needs one input step (needs: [step])');
  const target = resolve(ctx.projectDir, String(config.path));
  if (relative(ctx.projectDir, target).startsWith('..')) throw new Error(\`\${config.path} is outside the project\`);
  await mkdir(dirname(target), { recursive: true });
  const partial = \`\${target}.partial\`;
  const out = createWriteStream(partial);
  let rows = 0;
  for await (const chunk of ctx.dataPlane.readChunks(\`SELECT * FROM \${ctx.dataPlane.quote(input.table)}\`)) {
    for (const values of chunk.rows) {
      const record = Object.fromEntries(chunk.columns.map((column, index) => [column.name, values[index]]));
      const line = JSON.stringify(record, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
      if (!out.write(\`\${line}\\n\`)) await once(out, 'drain');
      rows += 1;
    }
    ctx.progress(rows);
  }
  out.end();
  await once(out, 'finish');
  await rename(partial, target);
  return { rows };
}
`,
};

const TEST_HEADER = `// Run with: node --test components/
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from './driver.js';

/** The smallest StepContext the driver uses; a real run gives the full one. */
function fakeContext(dataPlane) {
  return {
    runId: 'test',
    stepId: 'step',
    projectDir: process.cwd(),
    artifactsDir: process.cwd(),
    signal: new AbortController().signal,
    log: { event() {}, debug() {}, warn() {} },
    metric() {},
    progress() {},
    artifact() {},
    dataPlane: { tableFor: (id) => \`df_\${id}\`, quote: (name) => \`"\${name}"\`, ...dataPlane },
  };
}
`;

const TESTS: Record<ScaffoldMode, string> = {
  extract: `${TEST_HEADER}
test('produces count numbered rows', async () => {
  const appended = [];
  const ctx = fakeContext({
    async appendRows(_table, _columns, batches) {
      for await (const batch of batches) appended.push(...batch);
      return appended.length;
    },
  });
  const result = await run({ stepId: 'numbers', config: { count: 3 }, inputs: [], ctx });
  assert.deepEqual(result, { table: 'df_numbers', rows: 3 });
  assert.deepEqual(appended[2], [3, 'row 3']);
});
`,
  transform: `${TEST_HEADER}
test('keeps the first limit rows', async () => {
  const statements = [];
  const ctx = fakeContext({
    async run(sql) {
      statements.push(sql);
    },
    async count() {
      return 2;
    },
  });
  const result = await run({ stepId: 'first', config: { limit: 2 }, inputs: [{ stepId: 'numbers', table: 'df_numbers' }], ctx });
  assert.deepEqual(result, { table: 'df_first', rows: 2 });
  assert.match(statements[0], /FROM "df_numbers" LIMIT 2$/);
});
`,
  write: `${TEST_HEADER}
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('writes one JSON object per input row', async () => {
  const ctx = fakeContext({
    async *readChunks() {
      yield { columns: [{ name: 'id', type: 'BIGINT' }], rows: [[1n], [2n]] };
    },
  });
  ctx.projectDir = await mkdtemp(join(tmpdir(), 'component-test-'));
  const result = await run({ stepId: 'save', config: { path: 'out/rows.jsonl' }, inputs: [{ stepId: 'numbers', table: 'df_numbers' }], ctx });
  assert.deepEqual(result, { rows: 2 });
  assert.equal(await readFile(join(ctx.projectDir, 'out/rows.jsonl'), 'utf8'), '{"id":"1"}\\n{"id":"2"}\\n');
});
`,
};
