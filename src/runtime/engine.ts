import { commitBarrierFor, concurrencyFor } from './commit-barrier.js';
import { runDag } from './dag-scheduler.js';
import { createDataPlane } from './data-plane/index.js';
import type { EngineOptions, EngineResult } from './engine-types.js';
import { executeStep } from './step-executor.js';
import { dropStepOutput } from './streams/drop-output.js';
import { activeStreamEdges, StreamHub } from './streams/stream-edge.js';

/** Runs a compiled pipeline in this process over one DuckDB data plane (the local adapter's core). */
export async function executePipeline(options: EngineOptions): Promise<EngineResult> {
  // SQL in a step may read and write files only inside the project and the run's own folder.
  const dataPlane = await createDataPlane({
    directory: options.workDir,
    allowedDirectories: [options.projectDir],
    baseDirectory: options.projectDir,
  });
  try {
    // What bounds the run's memory (OSIRIS_MEMORY_LIMIT / osiris.yaml `data_plane:` raise it).
    options.sink.event('debug', { message: 'data plane settings', ...(await dataPlane.settings()) });
    const manifest = options.compiled.manifest;
    const commitBarrier = commitBarrierFor(manifest, options.signal);
    const streams = StreamHub.forManifest(manifest);
    const environment = {
      ...options,
      dataPlane,
      ...(commitBarrier ? { commitBarrier } : {}),
      ...(streams ? { streams } : {}),
    };
    return await runDag({
      steps: manifest.steps,
      concurrency: concurrencyFor(manifest, options.concurrency ?? DEFAULT_CONCURRENCY),
      signal: options.signal,
      sink: options.sink,
      execute: (step, upstream) => executeStep(environment, step, upstream),
      streams: activeStreamEdges(manifest),
      // A step's table goes once its last consumer has finished: memory stays flat on long chains.
      release: (table) => dropStepOutput(dataPlane, table),
    });
  } finally {
    await dataPlane.close();
  }
}

/** Two lanes: independent branches overlap, and DuckDB parallelises inside each statement anyway. */
export const DEFAULT_CONCURRENCY = 2;
