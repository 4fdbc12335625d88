import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTempFolderPrefix } from '../../util/run-temp-folder.js';
import { executePipeline } from '../engine.js';
import type { ExecutionAdapter, PrepareInput } from './adapter.js';

interface LocalPrepared {
  input: PrepareInput;
  workDir: string;
}

/** Runs the engine in this process; the data plane lives in a temp folder removed afterwards. */
export function createLocalAdapter(options: { concurrency?: number } = {}): ExecutionAdapter<LocalPrepared> {
  return {
    name: 'local',
    async prepare(input) {
      const workDir = await mkdtemp(join(tmpdir(), runTempFolderPrefix('run', input.runId)));
      return { input, workDir };
    },
    async execute(prepared, context) {
      const { input } = prepared;
      return executePipeline({
        runId: input.runId,
        compiled: input.compiled,
        registry: input.registry,
        projectDir: input.projectDir,
        workDir: prepared.workDir,
        artifactsDir: input.artifactsDir,
        resolveConnection: input.resolveConnection,
        signal: context.signal,
        sink: context.sink,
        ...(input.artifacts ? { artifacts: input.artifacts } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(input.incremental ? { incremental: input.incremental } : {}),
      });
    },
    async collect(prepared) {
      await rm(prepared.workDir, { recursive: true, force: true });
    },
  };
}
