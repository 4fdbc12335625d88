import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import { createSubprocessAdapter } from '../../src/runtime/adapters/subprocess.js';
import { runPipeline } from '../../src/runtime/runner.js';
import { filesContaining, makeProject } from '../support/project.js';

const SECRET = 'Worker-Planted-Secret-5150';

/** Synchronous, so it can run inside an event callback while the worker's folder still exists. */
function filesContainingSync(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path, { throwIfNoEntry: false });
    if (info?.isDirectory()) hits.push(...filesContainingSync(path, needle));
    else if (info?.isFile() && readFileSync(path).includes(needle)) hits.push(path);
  }
  return hits;
}

describe('subprocess adapter and secrets', () => {
  it('hands the worker its connection secret through the environment only: no file holds it', async () => {
    const dir = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  duckdb:
    vault:
      path: data/vault.duckdb
      password: \${VAULT_PASSWORD}
`,
      'pipelines/p.yaml': `oml_version: "0.1.0"
name: vault-copy
steps:
  - { id: secrets, component: duckdb.extractor, mode: read, config: { connection: "@duckdb.vault", table: items } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [secrets], config: { path: output/items.csv } }
`,
    });
    await mkdir(join(dir, 'data'), { recursive: true });
    const instance = await DuckDBInstance.create(join(dir, 'data/vault.duckdb'));
    const connection = await instance.connect();
    await connection.run("CREATE TABLE items AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, name)");
    connection.closeSync();
    instance.closeSync();

    const env = { ...process.env, VAULT_PASSWORD: SECRET, OSIRIS_PLANTED_TOKEN: SECRET };
    const registry = createDefaultRegistry();
    const compiled = await compilePipeline({
      file: join(dir, 'pipelines/p.yaml'),
      projectDir: dir,
      registry,
      env,
    });
    let workDir = '';
    let scanned = false;
    let workerFiles = 0;
    const hitsInWorker: string[] = [];
    const status = await runPipeline({
      buildDir: compiled.buildDir!,
      projectDir: dir,
      registry,
      connections: loadConnections({ cwd: dir, env }),
      adapter: createSubprocessAdapter({ onWorkerStarted: (_pid, folder) => (workDir = folder) }),
      onEvent: (event) => {
        // The last step has finished but the worker (and its data plane) is still there.
        if (event.event === 'step_complete' && event.step_id === 'out') {
          hitsInWorker.push(...filesContainingSync(workDir, SECRET));
          // The scan looked at real files: the worker's data plane holds the copied rows.
          workerFiles = filesContainingSync(workDir, '').length;
          scanned = true;
        }
      },
    });
    expect(status.status).toBe('success');
    expect(scanned).toBe(true);
    expect(workerFiles).toBeGreaterThan(0);
    expect(hitsInWorker).toEqual([]);
    expect(await filesContaining(join(dir, '.osiris'), SECRET)).toEqual([]);
    expect(await filesContaining(join(dir, 'build'), SECRET)).toEqual([]);
    expect(await filesContaining(join(dir, 'output'), SECRET)).toEqual([]);
  });
});
