import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, isOsirisError, type SerializedError } from '../../spec/errors.js';
import type { CompiledPipeline } from '../../spec/manifest.js';
import { runDag } from '../dag-scheduler.js';
import type { EngineResult, EngineSink } from '../engine-types.js';
import { activeStreamEdges } from '../streams/stream-edge.js';
import type { WorkerClient } from './worker-client.js';

export type WorkerConnections = Record<
  string,
  { connection: ResolvedConnection } | { error: SerializedError }
>;

/**
 * Walks the DAG here and runs each step in the worker with `exec_step`: the scheduler is the one
 * every adapter shares, so the events match a local run. A step whose request fails (the worker
 * died, the channel broke) fails with that error instead of hanging the run.
 */
export async function runStepsOnWorker(options: {
  worker: WorkerClient;
  compiled: CompiledPipeline;
  concurrency: number;
  signal: AbortSignal;
  sink: EngineSink;
}): Promise<EngineResult> {
  const { worker, sink } = options;
  worker.sink = sink;
  const onAbort = () => void worker.request({ type: 'cancel' }).catch(() => undefined);
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await runDag({
      steps: options.compiled.manifest.steps,
      concurrency: options.concurrency,
      signal: options.signal,
      sink,
      streams: activeStreamEdges(options.compiled.manifest),
      release: async (table) => {
        await worker.request({ type: 'drop_tables', tables: [table] });
      },
      execute: async (step, upstream) => {
        try {
          return await worker.request({ type: 'exec_step', step_id: step.id, upstream });
        } catch (error) {
          const serialized: SerializedError = isOsirisError(error)
            ? error.toJSON()
            : { code: ErrorCodes.WORKER_DIED, message: String(error) };
          sink.event('step_failed', {
            step_id: step.id,
            error_code: serialized.code,
            message: serialized.message,
            ...(serialized.hint ? { hint: serialized.hint } : {}),
          });
          return { rows: 0, error: serialized, durationMs: 0 };
        }
      },
    });
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Resolve every connection the pipeline names, in the parent. A connection that fails to resolve
 * travels as its error, so the step fails in the worker exactly as it would locally.
 */
export function resolveWorkerConnections(
  compiled: CompiledPipeline,
  resolveConnection: (ref: string) => ResolvedConnection,
): WorkerConnections {
  const out: WorkerConnections = {};
  for (const step of compiled.manifest.steps) {
    const ref = compiled.cfg[step.id]?.connection ?? step.connection;
    if (typeof ref !== 'string' || ref in out) continue;
    try {
      out[ref] = { connection: resolveConnection(ref) };
    } catch (error) {
      out[ref] = {
        error: isOsirisError(error) ? error.toJSON() : { code: ErrorCodes.INTERNAL, message: String(error) },
      };
    }
  }
  return out;
}
