import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../src/compiler/index.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import { createSubprocessAdapter } from '../../src/runtime/adapters/subprocess.js';
import { runPipeline } from '../../src/runtime/runner.js';
import { makeProject } from '../support/project.js';

describe('subprocess adapter when the worker dies', () => {
  it('fails the run with the exit signal and a clear message instead of hanging', async () => {
    const dir = await makeProject({
      'data/users.csv': 'id,name\n1,Ada\n2,Linus\n',
      'pipelines/p.yaml': `oml_version: "0.1.0"
name: doomed
steps:
  - { id: users, component: filesystem.csv_extractor, mode: read, config: { path: data/users.csv } }
  - { id: slow, component: duckdb.processor, mode: transform, needs: [users], config: { query: "SELECT count(*) AS n FROM range(3000000000)" } }
  - { id: out, component: filesystem.csv_writer, mode: write, needs: [slow], config: { path: out/never.csv } }
`,
    });
    const registry = createDefaultRegistry();
    const compiled = await compilePipeline({
      file: join(dir, 'pipelines/p.yaml'),
      projectDir: dir,
      registry,
      env: process.env,
    });
    let workerPid = 0;
    const status = await runPipeline({
      buildDir: compiled.buildDir!,
      projectDir: dir,
      registry,
      connections: loadConnections({ cwd: dir, env: process.env }),
      adapter: createSubprocessAdapter({ concurrency: 1, onWorkerStarted: (pid) => (workerPid = pid) }),
      onEvent: (event) => {
        if (event.event === 'step_start' && event.step_id === 'slow') process.kill(workerPid, 'SIGKILL');
      },
    });
    expect(status.status).toBe('failed');
    expect(status.error?.code).toBe('E_WORKER_DIED');
    expect(status.error?.message).toContain('SIGKILL');
    expect(status.steps.find((s) => s.id === 'out')?.status).toBe('skipped');
    expect(existsSync(join(dir, 'out/never.csv'))).toBe(false);
  });
});
