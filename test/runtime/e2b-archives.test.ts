import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { bringResultsHome } from '../../src/runtime/adapters/e2b/results-archive.js';
import { installWorkerBundle, probeSandbox } from '../../src/runtime/adapters/e2b/sandbox-setup.js';
import { readTar } from '../../src/runtime/adapters/e2b/tar-reader.js';
import { tarFiles } from '../../src/runtime/adapters/e2b/tar-writer.js';
import { type FakeSandbox, FakeSandboxApi } from '../../src/runtime/adapters/e2b/testing/fake-sandbox-api.js';
import { prepareWorkerBundle, type WorkerBundle } from '../../src/runtime/adapters/e2b/worker-bundle.js';
import { listFiles } from '../support/project.js';

const fakes: FakeSandboxApi[] = [];
afterAll(async () => {
  for (const fake of fakes) await fake.dispose();
});

async function newSandbox(
  options: ConstructorParameters<typeof FakeSandboxApi>[0] = {},
): Promise<FakeSandbox> {
  const fake = new FakeSandboxApi(options);
  fakes.push(fake);
  return (await fake.create({ apiKey: 'k', timeoutMs: 60_000, metadata: {} })) as FakeSandbox;
}

async function readAll(archive: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  await readTar(createReadStream(archive).pipe(createGunzip()), async (entry) => {
    const chunks: Buffer[] = [];
    for await (const chunk of entry.body) chunks.push(chunk);
    entries[`${entry.type}:${entry.path}`] = Buffer.concat(chunks).toString('utf8');
  });
  return entries;
}

describe('tar codec', () => {
  const longSegment = 'a-folder-name-that-is-long-enough-to-need-a-pax-header-'.repeat(3);
  const names = ['short.txt', `deep/${'nested/'.repeat(20)}file.txt`, `${longSegment}/file.txt`, 'empty.bin'];

  it('writes archives that GNU tar unpacks byte for byte, including long paths', async () => {
    const source = await mkdtemp(join(tmpdir(), 'osiris-tar-source-'));
    const files = [];
    for (const [index, name] of names.entries()) {
      const path = join(source, `f${index}`);
      await writeFile(path, name === 'empty.bin' ? '' : `content of ${name}\n`.repeat(index * 50 + 1));
      const info = await stat(path);
      files.push({ path: name, source: path, size: info.size, mode: 0o640, mtime: info.mtimeMs / 1000 });
    }
    const archive = join(source, 'out.tar.gz');
    await pipeline(Readable.from(tarFiles(files)), createGzip(), createWriteStream(archive));
    const unpacked = await mkdtemp(join(tmpdir(), 'osiris-tar-unpacked-'));
    execFileSync('tar', ['xzf', archive, '-C', unpacked]);
    for (const [index, name] of names.entries()) {
      expect(await readFile(join(unpacked, name))).toEqual(await readFile(join(source, `f${index}`)));
    }
    const read = await readAll(archive);
    expect(Object.keys(read).sort()).toEqual(names.map((name) => `file:${name}`).sort());
    expect(read['file:short.txt']).toBe('content of short.txt\n');
  });

  it('reads archives made by GNU tar, long names and links included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osiris-tar-gnu-'));
    await mkdir(join(dir, 'root', longSegment), { recursive: true });
    await writeFile(join(dir, 'root', longSegment, 'file.txt'), 'long');
    await writeFile(join(dir, 'root', 'plain.txt'), 'plain');
    await symlink('/etc/hostname', join(dir, 'root', 'link'));
    execFileSync('tar', ['czf', join(dir, 'gnu.tar.gz'), '-C', join(dir, 'root'), '.']);
    const read = await readAll(join(dir, 'gnu.tar.gz'));
    expect(read[`file:./${longSegment}/file.txt`]).toBe('long');
    expect(read['file:./plain.txt']).toBe('plain');
    expect(read['other:./link']).toBe('');
  });
});

describe('bringing results home', () => {
  it('lands outputs and artifacts atomically and skips links and unexpected entries', async () => {
    const sandbox = await newSandbox();
    const runDir = join(sandbox.home, '.osiris/runs/run_x');
    await mkdir(join(runDir, 'artifacts/step-a'), { recursive: true });
    await mkdir(join(runDir, 'project/out'), { recursive: true });
    await writeFile(join(runDir, 'artifacts/step-a/report.txt'), 'artifact');
    await symlink('/etc/passwd', join(runDir, 'artifacts/step-a/stolen'));
    await writeFile(join(runDir, 'project/out/a.csv'), 'x\n1\n');
    await writeFile(join(runDir, 'project/out/not-reported.csv'), 'x\n2\n');

    const projectDir = await mkdtemp(join(tmpdir(), 'osiris-results-project-'));
    const artifactsDir = join(projectDir, '.osiris/runs/run_x/artifacts');
    await mkdir(join(projectDir, 'out'));
    await writeFile(join(projectDir, 'out/a.csv'), 'old content');
    const { skipped } = await bringResultsHome(sandbox, runDir, ['out/a.csv', '../escape.csv'], {
      projectDir,
      artifactsDir,
    });

    expect(await readFile(join(projectDir, 'out/a.csv'), 'utf8')).toBe('x\n1\n');
    expect(await readFile(join(artifactsDir, 'step-a/report.txt'), 'utf8')).toBe('artifact');
    expect(skipped).toEqual(['artifacts/step-a/stolen']);
    expect(existsSync(join(artifactsDir, 'step-a/stolen'))).toBe(false);
    expect((await listFiles(projectDir)).map((file) => file.slice(projectDir.length)).sort()).toEqual([
      '/.osiris/runs/run_x/artifacts/step-a/report.txt',
      '/out/a.csv',
    ]);
  });
});

describe('installing the worker bundle in a sandbox', () => {
  const bundle: WorkerBundle = {
    version: '9.9.9',
    id: 'abcdef0123456789',
    archive: '/nonexistent/bundle.tar.gz',
    platform: process.platform,
    arch: process.arch,
    modulesAbi: process.versions.modules,
  };

  it('uploads nothing when the template already holds this exact build', async () => {
    const sandbox = await newSandbox({ template: { '.osiris/worker/9.9.9/.bundle-id': bundle.id } });
    const facts = await probeSandbox(sandbox, bundle.version, 'run_test');
    expect(facts.installedBundleId).toBe(bundle.id);
    expect(facts.node?.version).toBe(process.version);
    expect(await installWorkerBundle(sandbox, facts, bundle, () => undefined)).toBe(
      join(sandbox.home, '.osiris/worker/9.9.9'),
    );
    expect(sandbox.writes).toEqual([]);
  });

  it('uses a bundle baked into the template when this machine cannot build one for the sandbox', async () => {
    const sandbox = await newSandbox({ template: { '.osiris/worker/9.9.9/.bundle-id': 'built-elsewhere' } });
    const facts = await probeSandbox(sandbox, bundle.version, 'run_test');
    const messages: string[] = [];
    const foreign = { ...bundle, platform: 'darwin', arch: 'arm64' };
    await installWorkerBundle(sandbox, facts, foreign, (message) => messages.push(message));
    expect(messages.join()).toContain('built-elsewhere');
    expect(sandbox.writes).toEqual([]);
  });

  it('explains why a bundle from another platform cannot run, and what to do', async () => {
    const sandbox = await newSandbox();
    const facts = await probeSandbox(sandbox, bundle.version, 'run_test');
    const foreign = { ...bundle, platform: 'darwin', arch: 'arm64' };
    await expect(installWorkerBundle(sandbox, facts, foreign, () => undefined)).rejects.toMatchObject({
      code: 'E_ADAPTER_UNAVAILABLE',
      message: expect.stringContaining('darwin-arm64'),
      hint: expect.stringContaining('--e2b-template'),
    });
  });

  it('asks for a template with Node.js when the sandbox has none', async () => {
    const sandbox = await newSandbox();
    const facts = await probeSandbox(sandbox, bundle.version, 'run_test');
    const { node: _node, ...withoutNode } = facts;
    await expect(installWorkerBundle(sandbox, withoutNode, bundle, () => undefined)).rejects.toMatchObject({
      code: 'E_ADAPTER_UNAVAILABLE',
      message: expect.stringContaining('Node.js'),
    });
  });
});

describe('packing the worker bundle', () => {
  async function put(root: string, files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content);
    }
  }

  it('takes the published files and exactly the packages the worker reaches, hoisted or nested', async () => {
    const project = await mkdtemp(join(tmpdir(), 'osiris-bundle-layout-'));
    const osiris = 'node_modules/osiris-etl';
    await put(project, {
      [`${osiris}/package.json`]: JSON.stringify({
        name: 'osiris-etl',
        version: '1.2.3',
        files: ['dist', 'schemas'],
      }),
      [`${osiris}/dist/composition/worker.js`]:
        "import { readFile } from 'node:fs';\nimport path from 'path';\nimport { run } from '../runtime/driver.js';\n",
      [`${osiris}/dist/runtime/driver.js`]:
        "export const run = () => import('@scope/db');\nexport const other = () => import('./lazy.js');\n",
      [`${osiris}/dist/runtime/lazy.js`]: "import 'hoisted-dep';\n",
      [`${osiris}/dist/runtime/driver.d.ts`]: 'export {};',
      [`${osiris}/dist/agent/agent.js`]: "import 'ai-sdk-not-for-workers';\n",
      [`${osiris}/schemas/spec.json`]: '{}',
      [`${osiris}/README.md`]: '# readme',
      [`${osiris}/node_modules/@scope/db/package.json`]: JSON.stringify({
        name: '@scope/db',
        dependencies: { 'nested-dep': '1' },
        optionalDependencies: { 'db-binary-other-os': '1' },
      }),
      [`${osiris}/node_modules/@scope/db/index.js`]: '',
      'node_modules/nested-dep/package.json': JSON.stringify({ name: 'nested-dep' }),
      'node_modules/hoisted-dep/package.json': JSON.stringify({
        name: 'hoisted-dep',
        dependencies: { 'inner-dep': '1' },
      }),
      'node_modules/hoisted-dep/node_modules/inner-dep/package.json': JSON.stringify({ name: 'inner-dep' }),
      'node_modules/hoisted-dep/index.js': '',
      'node_modules/ai-sdk-not-for-workers/package.json': JSON.stringify({ name: 'ai-sdk-not-for-workers' }),
    });
    const cacheDir = join(project, 'cache');
    const bundle = await prepareWorkerBundle({ packageRoot: join(project, osiris), cacheDir });
    expect(bundle.version).toBe('1.2.3');
    expect(bundle.archive).toBe(join(cacheDir, `worker-1.2.3-${bundle.id}.tar.gz`));
    const paths = Object.keys(await readAll(bundle.archive)).sort();
    expect(paths).toEqual(
      [
        'dist/agent/agent.js',
        'dist/composition/worker.js',
        'dist/runtime/driver.js',
        'dist/runtime/lazy.js',
        'node_modules/@scope/db/index.js',
        'node_modules/@scope/db/package.json',
        'node_modules/hoisted-dep/index.js',
        'node_modules/hoisted-dep/node_modules/inner-dep/package.json',
        'node_modules/hoisted-dep/package.json',
        'node_modules/nested-dep/package.json',
        'package.json',
        'schemas/spec.json',
      ].map((path) => `file:${path}`),
    );
    // The same installation gives the same id and reuses the pack; a changed file gives a new one.
    expect((await prepareWorkerBundle({ packageRoot: join(project, osiris), cacheDir })).id).toBe(bundle.id);
    await writeFile(join(project, osiris, 'dist/runtime/lazy.js'), "import 'hoisted-dep'; // changed\n");
    expect((await prepareWorkerBundle({ packageRoot: join(project, osiris), cacheDir })).id).not.toBe(
      bundle.id,
    );
  });
});
