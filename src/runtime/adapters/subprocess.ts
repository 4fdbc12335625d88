import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTempFolderPrefix } from '../../util/run-temp-folder.js';
import { concurrencyFor } from '../commit-barrier.js';
import { DEFAULT_CONCURRENCY } from '../engine.js';
import { WORKER_CONNECTIONS_ENV } from '../worker/protocol.js';
import { resolveWorkerConnections, runStepsOnWorker } from '../worker/run-steps-on-worker.js';
import { WorkerClient } from '../worker/worker-client.js';
import type { ExecutionAdapter, PrepareInput } from './adapter.js';

interface SubprocessPrepared {
  input: PrepareInput;
  workDir: string;
  worker: WorkerClient;
  /** The worker's data-plane settings, reported when the run executes. */
  settings: Record<string, string>;
}

/** Environment variables a worker may inherit; everything else (keys, tokens, passwords) stays home. */
/** The data plane's limits (data-plane-limits.ts) reach the worker too; osiris.yaml it reads itself. */
const INHERITED_ENV = [
  'PATH',
  'LANG',
  'LC_ALL',
  'TZ',
  'SystemRoot',
  'OSIRIS_MEMORY_LIMIT',
  'OSIRIS_THREADS',
  'OSIRIS_MAX_ROW_SIZE',
];

/**
 * Runs the pipeline in a separate Node process (the proxy worker) inside a fresh temp folder with
 * a minimal environment. The DAG is walked here, one `exec_step` at a time, by the same scheduler
 * the local adapter uses; the worker holds the data plane. Secrets reach it only as an
 * environment variable of the process, never as a file.
 */
export function createSubprocessAdapter(
  options: { concurrency?: number; onWorkerStarted?: (pid: number, workDir: string) => void } = {},
): ExecutionAdapter<SubprocessPrepared> {
  return {
    name: 'subprocess',
    async prepare(input) {
      const workDir = await mkdtemp(join(tmpdir(), runTempFolderPrefix('worker', input.runId)));
      const env: Record<string, string> = { HOME: workDir, TMPDIR: workDir };
      for (const name of INHERITED_ENV) {
        const value = process.env[name];
        if (value !== undefined) env[name] = value;
      }
      env[WORKER_CONNECTIONS_ENV] = JSON.stringify(
        resolveWorkerConnections(input.compiled, input.resolveConnection),
      );
      const worker = new WorkerClient({
        command: process.execPath,
        args: [workerEntry()],
        cwd: workDir,
        env,
      });
      await worker.request({ type: 'ping' });
      if (worker.pid !== undefined) options.onWorkerStarted?.(worker.pid, workDir);
      const { settings } = await worker.request({
        type: 'prepare',
        run_id: input.runId,
        project_dir: input.projectDir,
        manifest: input.compiled.manifest as unknown as Record<string, unknown>,
        cfg: input.compiled.cfg,
        ...(input.artifacts ? { artifacts: { samples: input.artifacts.samples } } : {}),
        ...(input.incremental ? { incremental: input.incremental } : {}),
      });
      return { input, workDir, worker, settings };
    },
    async execute(prepared, context) {
      context.sink.event('debug', { message: 'data plane settings', ...prepared.settings });
      return runStepsOnWorker({
        worker: prepared.worker,
        compiled: prepared.input.compiled,
        concurrency: concurrencyFor(
          prepared.input.compiled.manifest,
          options.concurrency ?? DEFAULT_CONCURRENCY,
        ),
        signal: context.signal,
        sink: context.sink,
      });
    },
    async collect(prepared) {
      try {
        await prepared.worker.request({ type: 'cleanup' }).catch(() => undefined);
        await prepared.worker.stop();
        const artifacts = join(prepared.workDir, 'artifacts');
        if (existsSync(artifacts)) await cp(artifacts, prepared.input.artifactsDir, { recursive: true });
      } finally {
        prepared.worker.kill();
        await rm(prepared.workDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The compiled worker program (`composition/worker.ts`, which binds the built-in families to the
 * runtime's worker loop); tests running from src/ use the built copy in dist/.
 */
function workerEntry(): string {
  const beside = fileURLToPath(new URL('../../composition/worker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../dist/composition/worker.js', import.meta.url));
}
