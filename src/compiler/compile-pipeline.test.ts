import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../composition/builtins.js';
import {
  buildPlan,
  canonicalJson,
  compileOmlText,
  compilePipeline,
  fingerprint,
  loadCompiled,
  readLastCompile,
  writeBuild,
} from './index.js';

const registry = createDefaultRegistry();

async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-compile-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const PARAMS_OML = `oml_version: "0.1.0"
name: params-demo
params:
  limit: { type: int, default: 1 }
  label: { default: from-default }
  flag: { type: bool, default: false }
profiles:
  prod: { params: { limit: 3, label: from-profile } }
steps:
  - id: extract
    component: duckdb.extractor
    mode: read
    config: { query: "SELECT \${params.limit} AS n, '\${params.label}' AS label, \${params.flag} AS flag" }
  - id: save
    component: mysql.writer
    mode: write
    needs: [extract]
    config: { connection: "@mysql.shop", table: "t_\${params.label}", batch_size: "\${params.limit}" }
`;

const CONNECTIONS = `version: 1
connections:
  mysql:
    shop:
      host: \${DB_HOST:-localhost}
      password: \${DB_PASSWORD}
`;

describe('canonical JSON and fingerprints', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(fingerprint({ a: 1, b: 2 })).toBe(fingerprint({ b: 2, a: 1 }));
    expect(fingerprint({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('buildPlan', () => {
  it('orders topologically with declaration-order ties and groups independent steps in levels', () => {
    const plan = buildPlan([
      { id: 'write', needs: ['join'] },
      { id: 'orders', needs: [] },
      { id: 'join', needs: ['users', 'orders'] },
      { id: 'users', needs: [] },
      { id: 'audit', needs: ['users'] },
    ]);
    expect(plan.order).toEqual(['orders', 'users', 'join', 'write', 'audit']);
    expect(plan.levels).toEqual([['orders', 'users'], ['join', 'audit'], ['write']]);
  });
});

describe('compilePipeline', () => {
  it('resolves params by precedence --param > env > profile > default, keeping whole-reference types', async () => {
    const dir = await project({ 'osiris_connections.yaml': CONNECTIONS, 'p.yaml': PARAMS_OML });
    const compile = (options: {
      params?: Record<string, string>;
      env?: Record<string, string>;
      profile?: string;
    }) =>
      compilePipeline({
        file: join(dir, 'p.yaml'),
        projectDir: dir,
        registry,
        env: options.env ?? {},
        ...options,
      });

    const defaults = await compile({});
    expect(defaults.manifest?.params).toEqual({ flag: false, label: 'from-default', limit: 1 });
    const profile = await compile({ profile: 'prod' });
    expect(profile.manifest?.params).toMatchObject({ label: 'from-profile', limit: 3 });
    const env = await compile({
      profile: 'prod',
      env: { OSIRIS_PARAM_LIMIT: '5', OSIRIS_PARAM_FLAG: 'true' },
    });
    expect(env.manifest?.params).toEqual({ flag: true, label: 'from-profile', limit: 5 });
    const cli = await compile({ profile: 'prod', env: { OSIRIS_PARAM_LIMIT: '5' }, params: { limit: '7' } });
    expect(cli.manifest?.params).toMatchObject({ limit: 7 });

    const save = JSON.parse(await readFile(join(cli.buildDir!, 'cfg', 'save.json'), 'utf8'));
    expect(save).toEqual({
      batch_size: 7,
      connection: '@mysql.shop',
      create_if_missing: true,
      lock_timeout: 600,
      table: 't_from-profile',
      write_mode: 'append',
    });
    const extract = JSON.parse(await readFile(join(cli.buildDir!, 'cfg', 'extract.json'), 'utf8'));
    expect(extract.query).toBe("SELECT 7 AS n, 'from-profile' AS label, false AS flag");
    expect(new Set([defaults, profile, env, cli].map((result) => result.fingerprints?.params_fp)).size).toBe(
      4,
    );
  });

  it('writes the build and the last-compile pointer, and loadCompiled reads it back', async () => {
    const dir = await project({ 'osiris_connections.yaml': CONNECTIONS, 'p.yaml': PARAMS_OML });
    const result = await compilePipeline({ file: join(dir, 'p.yaml'), projectDir: dir, registry, env: {} });
    expect(result.ok).toBe(true);
    expect(result.buildDir).toBe(join(dir, 'build', 'params-demo'));
    expect((await readdir(result.buildDir!)).sort()).toEqual([
      'cfg',
      'fingerprints.json',
      'manifest.yaml',
      'plan.json',
    ]);
    expect(await readLastCompile(dir)).toBe(result.buildDir);
    const pointer = JSON.parse(await readFile(join(dir, '.osiris', 'last_compile.json'), 'utf8'));
    expect(pointer).toMatchObject({
      build_dir: 'build/params-demo',
      pipeline: 'params-demo',
      manifest_fp: result.fingerprints?.manifest_fp,
    });

    const loaded = await loadCompiled(result.buildDir!);
    expect(loaded.manifest).toEqual(result.manifest);
    expect(Object.keys(loaded.cfg)).toEqual(['extract', 'save']);
    expect(loaded.manifest.steps[1]).toMatchObject({
      connection: '@mysql.shop',
      needs: ['extract'],
      cfg_path: 'cfg/save.json',
    });
    expect(JSON.parse(await readFile(join(result.buildDir!, 'fingerprints.json'), 'utf8'))).toEqual(
      result.fingerprints,
    );
  });

  it('refuses a build that was edited after compiling, or that is missing', async () => {
    const dir = await project({ 'osiris_connections.yaml': CONNECTIONS, 'p.yaml': PARAMS_OML });
    const { buildDir } = await compilePipeline({
      file: join(dir, 'p.yaml'),
      projectDir: dir,
      registry,
      env: {},
    });
    const cfgFile = join(buildDir!, 'cfg', 'save.json');
    await writeFile(cfgFile, (await readFile(cfgFile, 'utf8')).replace('"t_from-default"', '"other"'));
    await expect(loadCompiled(buildDir!)).rejects.toMatchObject({ code: 'E_MANIFEST_INVALID' });
    await expect(loadCompiled(join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'E_MANIFEST_INVALID' });
    await expect(readLastCompile(await project())).rejects.toMatchObject({ code: 'E_NO_LAST_COMPILE' });
  });

  it('hashes connection metadata, not environment values', async () => {
    const dir = await project({ 'osiris_connections.yaml': CONNECTIONS, 'p.yaml': PARAMS_OML });
    const file = join(dir, 'p.yaml');
    const first = await compilePipeline({
      file,
      projectDir: dir,
      registry,
      env: { DB_PASSWORD: 'one', DB_HOST: 'a' },
    });
    const second = await compilePipeline({
      file,
      projectDir: dir,
      registry,
      env: { DB_PASSWORD: 'two', DB_HOST: 'b' },
    });
    expect(second.fingerprints).toEqual(first.fingerprints);
    await writeFile(join(dir, 'osiris_connections.yaml'), CONNECTIONS.replace('localhost', 'db.internal'));
    const moved = await compilePipeline({ file, projectDir: dir, registry, env: {} });
    expect(moved.fingerprints?.connections_fp).not.toBe(first.fingerprints?.connections_fp);
    expect(moved.fingerprints?.oml_fp).toBe(first.fingerprints?.oml_fp);
  });

  it('requires every connection reference to resolve', async () => {
    const dir = await project({ 'p.yaml': PARAMS_OML });
    const result = await compilePipeline({ file: join(dir, 'p.yaml'), projectDir: dir, registry, env: {} });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['OML059']);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it('replaces a previous build whole, and leaves it untouched when the new compile fails', async () => {
    const dir = await project({ 'osiris_connections.yaml': CONNECTIONS });
    const twoSteps = PARAMS_OML;
    const oneStep = `${PARAMS_OML.split('  - id: save')[0]}`;
    const first = await compileOmlText(twoSteps, { projectDir: dir, registry, env: {} });
    const second = await compileOmlText(oneStep, { projectDir: dir, registry, env: {} });
    expect(second.buildDir).toBe(first.buildDir);
    expect(await readdir(join(second.buildDir!, 'cfg'))).toEqual(['extract.json']);

    const before = await readFile(join(second.buildDir!, 'manifest.yaml'), 'utf8');
    const broken = await compileOmlText(oneStep.replace('mode: read', 'mode: reed'), {
      projectDir: dir,
      registry,
      env: {},
    });
    expect(broken.ok).toBe(false);
    expect(await readFile(join(second.buildDir!, 'manifest.yaml'), 'utf8')).toBe(before);
    expect((await readdir(join(dir, 'build'))).sort()).toEqual(['params-demo']);
  });

  it('refuses to replace a folder that is not a build', async () => {
    const dir = await project({ 'notes/todo.txt': 'keep me' });
    await expect(writeBuild(join(dir, 'notes'), new Map([['manifest.yaml', 'x']]))).rejects.toMatchObject({
      code: 'E_USAGE',
    });
    expect(await readFile(join(dir, 'notes', 'todo.txt'), 'utf8')).toBe('keep me');
  });
});
