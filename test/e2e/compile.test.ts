import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCompiled } from '../../src/compiler/index.js';
import { BAD_DOCUMENTS, unmark } from '../fixtures/oml/bad-documents.js';
import { ensureBuiltCli, REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { runCli } from '../support/cli.js';
import { filesContaining, listFiles } from '../support/project.js';

const PLANTED_SECRET = 'Planted-Compile-S3cret-7781';
const OTHER_SECRET = 'Other-Compile-S3cret-9902';

beforeAll(() => ensureBuiltCli(), 300_000);

/** A fresh project folder holding a copy of examples/ (pipelines, data, connections). */
async function exampleProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-compile-'));
  await cp(join(REPO_ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

describe('osiris compile', () => {
  it.each([
    ['01-linear-chain.yaml', 'big-orders', ['extract-orders', 'filter-big', 'write-big']],
    [
      '02-join-branches.yaml',
      'customer-totals',
      ['extract-customers', 'extract-orders', 'totals', 'write-csv', 'write-jsonl'],
    ],
    [
      '03-upstream-inputs.yaml',
      'orders-per-country',
      ['extract-customers', 'extract-orders', 'per-country', 'write-countries'],
    ],
    ['04-params-profiles.yaml', 'orders-to-mysql', ['extract-orders', 'filter-orders', 'load-orders']],
  ])('compiles examples/pipelines/%s', async (file, name, order) => {
    const dir = await exampleProject();
    const { code, stdout } = await runCli(['compile', `pipelines/${file}`], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain(`✔ compiled ${name} to build/${name}\n`);
    expect(stdout).toMatch(/manifest_fp\s+sha256:[0-9a-f]{64}/);
    const compiled = await loadCompiled(join(dir, 'build', name));
    expect(compiled.manifest.plan.order).toEqual(order);
    const pointer = JSON.parse(await readFile(join(dir, '.osiris', 'last_compile.json'), 'utf8'));
    expect(pointer).toMatchObject({
      build_dir: `build/${name}`,
      manifest_fp: compiled.manifest.fingerprints.manifest_fp,
    });
  });

  it('turns upstream inputs into needs and joins two branches in one level', async () => {
    const dir = await exampleProject();
    expect((await runCli(['compile', 'pipelines/03-upstream-inputs.yaml'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['compile', 'pipelines/02-join-branches.yaml'], { cwd: dir })).code).toBe(0);
    const upstream = await loadCompiled(join(dir, 'build', 'orders-per-country'));
    expect(upstream.manifest.steps.map((step) => [step.id, step.needs])).toEqual([
      ['extract-customers', []],
      ['extract-orders', []],
      ['per-country', ['extract-customers', 'extract-orders']],
      ['write-countries', ['per-country']],
    ]);
    const join2 = await loadCompiled(join(dir, 'build', 'customer-totals'));
    expect(join2.manifest.plan.levels).toEqual([
      ['extract-customers', 'extract-orders'],
      ['totals'],
      ['write-csv', 'write-jsonl'],
    ]);
  });

  it('applies --profile and --param, writes to --out and prints JSON', async () => {
    const dir = await exampleProject();
    const { code, stdout } = await runCli(
      [
        'compile',
        'pipelines/04-params-profiles.yaml',
        '--profile',
        'prod',
        '--param',
        'min_amount=75',
        '--out',
        'custom/out',
        '--json',
      ],
      { cwd: dir },
    );
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as {
      ok: boolean;
      build_dir: string;
      fingerprints: Record<string, string>;
    };
    expect(body).toMatchObject({ ok: true, build_dir: join(dir, 'custom', 'out') });
    const compiled = await loadCompiled(body.build_dir);
    expect(compiled.manifest.profile).toBe('prod');
    expect(compiled.manifest.params).toEqual({ batch_size: 5000, min_amount: 75, target_table: 'orders' });
    expect(compiled.cfg['filter-orders']?.query).toBe('SELECT * FROM input_df WHERE amount >= 75');
    expect(compiled.cfg['load-orders']).toMatchObject({
      table: 'orders',
      batch_size: 5000,
      connection: '@mysql.shop',
    });
    expect(body.fingerprints.manifest_fp).toBe(compiled.manifest.fingerprints.manifest_fp);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it.each(['OML011', 'OML023', 'OML046', 'OML058', 'OML065'])(
    'exits 2 on a pipeline with %s and writes nothing',
    async (code) => {
      const dir = await exampleProject();
      const { text } = unmark(BAD_DOCUMENTS.find((document) => document.code === code)!.text);
      await writeFile(join(dir, 'pipelines', 'bad.yaml'), text);
      const result = await runCli(['compile', 'pipelines/bad.yaml'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`pipelines/bad\\.yaml:\\d+:\\d+: error ${code}: `));
      expect(result.stderr).toContain('✖ pipelines/bad.yaml was not compiled');
      expect(result.stdout).toBe('');
      expect(existsSync(join(dir, 'build'))).toBe(false);
      expect(existsSync(join(dir, '.osiris'))).toBe(false);
    },
  );

  it('exits 2 on a 50 MB file and leaves an earlier build untouched', async () => {
    const dir = await exampleProject();
    expect((await runCli(['compile', 'pipelines/01-linear-chain.yaml'], { cwd: dir })).code).toBe(0);
    const before = await snapshot(join(dir, 'build'));
    await writeFile(join(dir, 'pipelines', 'huge.yaml'), Buffer.alloc(50 * 1024 * 1024, ' '));
    const result = await runCli(['compile', 'pipelines/huge.yaml', '--out', 'build/big-orders'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    await rm(join(dir, 'pipelines', 'huge.yaml'));
    expect(result.stderr).toContain('pipelines/huge.yaml:1:1: error OML001');
    expect(await snapshot(join(dir, 'build'))).toEqual(before);
  });

  it('is deterministic across project folders and never writes secrets', async () => {
    const pipeline = await readFile(
      join(REPO_ROOT, 'examples', 'pipelines', '04-params-profiles.yaml'),
      'utf8',
    );
    const projects = await Promise.all([exampleProject(), exampleProject()]);
    // One project also has a .env with another secret value: neither may reach a build file.
    await writeFile(
      join(projects[1]!, '.env'),
      `MYSQL_PASSWORD=${OTHER_SECRET}\nDB_PASSWORD=${OTHER_SECRET}\n`,
    );
    const connections = `version: 1
connections:
  mysql:
    shop:
      host: db.internal
      user: loader
      password: \${DB_PASSWORD}
`;
    const secrets = [PLANTED_SECRET, OTHER_SECRET];
    const builds: string[] = [];
    for (const [index, dir] of projects.entries()) {
      await writeFile(join(dir, 'osiris_connections.yaml'), connections);
      await writeFile(join(dir, 'pipelines', 'pipeline.yaml'), pipeline);
      const result = await runCli(
        ['compile', 'pipelines/pipeline.yaml', '--profile', 'prod', '--param', 'min_amount=20'],
        {
          cwd: dir,
          env: {
            DB_PASSWORD: secrets[index],
            MYSQL_PASSWORD: secrets[index],
            OSIRIS_TEST_TOKEN: PLANTED_SECRET,
          },
        },
      );
      expect(result.code, result.stderr).toBe(0);
      builds.push(join(dir, 'build', 'orders-to-mysql'));
    }
    const [first, second] = await Promise.all(builds.map(snapshot));
    expect(Object.keys(first!).sort()).toEqual([
      'cfg/extract-orders.json',
      'cfg/filter-orders.json',
      'cfg/load-orders.json',
      'fingerprints.json',
      'manifest.yaml',
      'plan.json',
    ]);
    expect(second).toEqual(first);
    for (const dir of projects) {
      for (const secret of secrets) expect(await filesContaining(join(dir, 'build'), secret)).toEqual([]);
      for (const secret of secrets) expect(await filesContaining(join(dir, '.osiris'), secret)).toEqual([]);
      expect(await filesContaining(join(dir, 'build'), dir)).toEqual([]);
      expect(await filesContaining(join(dir, 'build'), tmpdir())).toEqual([]);
    }
  });
});

/** Relative path → file bytes (as base64, so comparisons are byte for byte). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listFiles(dir))
    files[relative(dir, file)] = (await readFile(file)).toString('base64');
  return files;
}
