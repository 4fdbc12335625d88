import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { runCli } from '../support/cli.js';

/**
 * Issue 16: a project component (`components/<family>.<kind>/` with spec.yaml + driver.js) is
 * scaffolded, edited, validated and run like a built-in on the local and subprocess adapters,
 * through the built CLI; broken ones fail with coded errors naming the component and the file.
 */
let project: string;
const osiris = (...args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });

const PIPELINE = `oml_version: "0.1.0"
name: custom
steps:
  - { id: numbers, component: acme.numbers, mode: read, config: { count: 2500 } }
  - { id: first, component: acme.first, mode: transform, needs: [numbers], config: { limit: 4 } }
  - { id: save, component: acme.save, mode: write, needs: [first], config: { path: out/rows.jsonl } }
  - { id: csv, component: filesystem.csv_writer, mode: write, needs: [numbers], config: { path: out/all.csv } }
`;

function pipelineWith(component: string, extra = ''): string {
  return `oml_version: "0.1.0"
name: broken
steps:
  - { id: numbers, component: ${component}, mode: read, config: { count: 3 } }
  - { id: csv, component: filesystem.csv_writer, mode: write, needs: [numbers], config: { path: out/broken.csv } }
${extra}`;
}

beforeAll(async () => {
  expect(existsSync(join(REPO_ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
  project = await mkdtemp(join(tmpdir(), 'osiris-components-'));
  await writeFile(join(project, 'osiris_connections.yaml'), 'version: 1\nconnections: {}\n');
  await writeFile(join(project, 'pipelines.yaml'), PIPELINE);
}, 60_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('project components', () => {
  it('scaffolds, validates, edits and runs identically on local and subprocess', async () => {
    for (const [name, mode] of [
      ['acme.numbers', 'extract'],
      ['acme.first', 'transform'],
      ['acme.save', 'write'],
    ] as const) {
      const created = await osiris('components', 'new', name, '--mode', mode);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain(`components/${name}/driver.js`);
    }
    // Edit the driver: labels become `item N`.
    const driver = join(project, 'components/acme.numbers/driver.js');
    await writeFile(driver, (await readFile(driver, 'utf8')).replace('`row ${id}`', '`item ${id}`'));

    const validated = await osiris('components', 'validate');
    expect(validated.code, validated.stdout).toBe(0);
    expect(validated.stdout).toMatch(/ok\s+acme\.numbers/);

    const listed = await osiris('components', 'list');
    expect(listed.stdout).toMatch(/acme\.numbers\s+extract\s+project \(components\/acme\.numbers\/\)/);
    expect(listed.stdout).toMatch(/mysql\.extractor\s+extract, discover\s+built-in/);
    const shown = await osiris('components', 'show', 'acme.first');
    expect(shown.stdout).toContain('Origin:       project (components/acme.first/)');

    const outputs: Record<string, string[]> = {};
    for (const adapter of ['local', 'subprocess']) {
      const run = await osiris('run', 'pipelines.yaml', '--adapter', adapter);
      expect(run.code, run.stderr).toBe(0);
      outputs[adapter] = [
        await readFile(join(project, 'out/rows.jsonl'), 'utf8'),
        await readFile(join(project, 'out/all.csv'), 'utf8'),
      ];
      await rm(join(project, 'out'), { recursive: true });
    }
    expect(outputs.local![0]).toBe(
      '{"id":"1","label":"item 1"}\n{"id":"2","label":"item 2"}\n{"id":"3","label":"item 3"}\n{"id":"4","label":"item 4"}\n',
    );
    expect(outputs.local![1]!.split('\n')).toHaveLength(2502);
    expect(outputs.subprocess).toEqual(outputs.local);
  }, 240_000);

  it('puts the driver file content in registry_fp', async () => {
    const fingerprints = async () => {
      const compiled = await osiris('compile', 'pipelines.yaml', '--json');
      expect(compiled.code, compiled.stdout + compiled.stderr).toBe(0);
      return JSON.parse(await readFile(join(project, 'build/custom/fingerprints.json'), 'utf8'));
    };
    const before = await fingerprints();
    const driver = join(project, 'components/acme.first/driver.js');
    await writeFile(driver, `${await readFile(driver, 'utf8')}\n// edited\n`);
    const after = await fingerprints();
    expect(after.registry_fp).not.toBe(before.registry_fp);
    expect(after.oml_fp).toBe(before.oml_fp);
    expect(await fingerprints()).toEqual(after);
  }, 120_000);

  it('reports a spec missing a required field with file, line and code', async () => {
    await osiris('components', 'new', 'acme.untitled', '--mode', 'extract');
    const spec = join(project, 'components/acme.untitled/spec.yaml');
    await writeFile(spec, (await readFile(spec, 'utf8')).replace(/^title: .*\n/m, ''));
    const result = await osiris('components', 'validate', 'components/acme.untitled');
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /E_COMPONENT_INVALID components\/acme\.untitled\/spec\.yaml:\d+:\d+: component acme\.untitled: \/title is missing/,
    );
    // Every command of the project refuses it, naming the file.
    const run = await osiris('validate', 'pipelines.yaml');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('components/acme.untitled/spec.yaml');
    expect(run.stderr).toContain('E_COMPONENT_INVALID');
    await rm(join(project, 'components/acme.untitled'), { recursive: true });
  }, 120_000);

  it('fails the step of a driver with a syntax error, naming component and file', async () => {
    await osiris('components', 'new', 'acme.syntax', '--mode', 'extract');
    await writeFile(join(project, 'components/acme.syntax/driver.js'), 'export async function run( {\n');
    const validated = await osiris('components', 'validate');
    expect(validated.code).toBe(2);
    expect(validated.stdout).toMatch(
      /E_COMPONENT_INVALID component acme\.syntax: components\/acme\.syntax\/driver\.js cannot be loaded/,
    );
    await writeFile(join(project, 'syntax.yaml'), pipelineWith('acme.syntax'));
    for (const adapter of ['local', 'subprocess']) {
      const run = await osiris('run', 'syntax.yaml', '--adapter', adapter);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(
        /E_COMPONENT_INVALID component acme\.syntax: components\/acme\.syntax\/driver\.js/,
      );
    }
    await rm(join(project, 'components/acme.syntax'), { recursive: true });
  }, 120_000);

  it('fails the step of a throwing, a wrong-shape and a hanging driver with coded errors', async () => {
    const drivers: Record<string, string> = {
      'acme.throws': "export async function run() { throw new TypeError('boom from the API'); }\n",
      'acme.shape': 'export async function run() { return { rows: -1 }; }\n',
      'acme.hangs':
        'export async function run() { await new Promise((r) => setInterval(() => {}, 1000)); }\n',
    };
    for (const [name, text] of Object.entries(drivers)) {
      await osiris('components', 'new', name, '--mode', 'extract');
      await writeFile(join(project, `components/${name}/driver.js`), text);
    }
    const spec = join(project, 'components/acme.hangs/spec.yaml');
    await writeFile(
      spec,
      (await readFile(spec, 'utf8')).replace('timeout_seconds: 600', 'timeout_seconds: 1'),
    );
    const expected: Record<string, RegExp> = {
      'acme.throws': /E_COMPONENT_FAILED component acme\.throws failed in step 'numbers': boom from the API/,
      'acme.shape':
        /E_COMPONENT_FAILED component acme\.shape in step 'numbers': the driver returned rows: -1/,
      'acme.hangs': /E_TIMEOUT Step 'numbers' \(acme\.hangs\) did not finish within 1 s/,
    };
    for (const [name, pattern] of Object.entries(expected)) {
      await writeFile(join(project, 'failing.yaml'), pipelineWith(name));
      for (const adapter of ['local', 'subprocess']) {
        const run = await osiris('run', 'failing.yaml', '--adapter', adapter);
        expect(run.code, `${name} on ${adapter}`).toBe(3);
        expect(run.stderr, `${name} on ${adapter}`).toMatch(pattern);
        expect(run.stderr).toContain(`components/${name}/driver.js`);
      }
    }
    for (const name of Object.keys(drivers))
      await rm(join(project, `components/${name}`), { recursive: true });
  }, 240_000);

  it('refuses a component named like a built-in and one written for another driver API', async () => {
    const shadow = await osiris('components', 'new', 'mysql.extractor', '--mode', 'extract');
    expect(shadow.code).toBe(2);
    expect(shadow.stderr).toContain('mysql.extractor is a built-in component');

    // Copied in by hand: the loader refuses it, whatever the command.
    await osiris('components', 'new', 'acme.copy', '--mode', 'extract');
    const { rename } = await import('node:fs/promises');
    await rename(join(project, 'components/acme.copy'), join(project, 'components/duckdb.processor'));
    const spec = join(project, 'components/duckdb.processor/spec.yaml');
    await writeFile(
      spec,
      (await readFile(spec, 'utf8')).replace('name: acme.copy', 'name: duckdb.processor'),
    );
    const listed = await osiris('components', 'list');
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(
      '[E_COMPONENT_INVALID] components/duckdb.processor/spec.yaml: the project component duckdb.processor has the name of a built-in component',
    );
    await rm(join(project, 'components/duckdb.processor'), { recursive: true });

    await osiris('components', 'new', 'acme.future', '--mode', 'extract');
    const future = join(project, 'components/acme.future/spec.yaml');
    await writeFile(future, (await readFile(future, 'utf8')).replace('api_version: 1', 'api_version: 7'));
    const validated = await osiris('components', 'validate', '--json');
    expect(validated.code).toBe(2);
    const body = JSON.parse(validated.stdout);
    const problem = body.components.find(
      (check: { folder: string }) => check.folder === 'components/acme.future',
    );
    expect(problem.problems[0].code).toBe('E_COMPONENT_API_VERSION');
    expect(problem.problems[0].message).toMatch(
      /spec\.yaml:4:\d+: component acme\.future was written for driver API version 7; this Osiris provides version 1/,
    );
    await rm(join(project, 'components/acme.future'), { recursive: true });
  }, 120_000);
});
