import type { DataPlane, Driver, DriverResult } from '../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError, type SerializedError } from '../spec/errors.js';
import type { StepSummary } from '../spec/events.js';
import type { ManifestStep } from '../spec/manifest.js';
import { createDataPlane } from './data-plane/index.js';
import type { EngineOptions, EngineResult } from './engine-types.js';
import { createStepContext } from './step-context.js';

interface StepOutcome {
  result?: DriverResult;
  error?: SerializedError;
  durationMs?: number;
}

/**
 * Runs a compiled pipeline's DAG over one DuckDB data plane. Used unchanged by the local adapter
 * and inside the proxy worker, which is what makes their events and outputs identical.
 */
export async function executePipeline(options: EngineOptions): Promise<EngineResult> {
  const { compiled, sink, signal } = options;
  const steps = compiled.manifest.steps;
  const summaries = new Map<string, StepSummary>(
    steps.map((step) => [
      step.id,
      { id: step.id, component: step.component, status: 'pending', rows: 0, duration_ms: 0 },
    ]),
  );
  const outcomes = new Map<string, StepOutcome>();
  const dataPlane = await createDataPlane({ directory: options.workDir });
  try {
    await schedule(steps, options.concurrency ?? 1, async (step) => {
      const summary = summaries.get(step.id)!;
      const blockedBy = step.needs.find((need) => outcomes.get(need)?.result === undefined);
      if (blockedBy !== undefined) {
        summary.status = 'skipped';
        sink.event('step_skipped', { step_id: step.id, reason: 'upstream_failed', upstream: blockedBy });
        outcomes.set(step.id, {});
        return;
      }
      if (signal.aborted) {
        summary.status = 'cancelled';
        outcomes.set(step.id, {});
        return;
      }
      const outcome = await runStep(step, options, dataPlane, outcomes);
      outcomes.set(step.id, outcome);
      summary.rows = outcome.result?.rows ?? 0;
      summary.duration_ms = outcome.durationMs ?? 0;
      if (outcome.error) {
        summary.status = outcome.error.code === ErrorCodes.CANCELLED ? 'cancelled' : 'failed';
        summary.error = {
          code: outcome.error.code,
          message: outcome.error.message,
          ...(outcome.error.hint ? { hint: outcome.error.hint } : {}),
        };
      } else {
        summary.status = 'success';
      }
    });
  } finally {
    await dataPlane.close();
  }

  for (const summary of summaries.values()) {
    if (summary.status === 'pending') summary.status = 'cancelled';
  }
  const list = steps.map((step) => summaries.get(step.id)!);
  const failed = list.find((s) => s.status === 'failed');
  const cancelled = signal.aborted || list.some((s) => s.status === 'cancelled');
  const status = failed ? 'failed' : cancelled ? 'cancelled' : 'success';
  const result: EngineResult = { status, steps: list, totalRows: totalRows(steps, list) };
  const firstError = failed ?? list.find((s) => s.status === 'cancelled' && s.error);
  if (firstError?.error) result.error = { ...firstError.error, step_id: firstError.id };
  else if (status === 'cancelled')
    result.error = { code: ErrorCodes.CANCELLED, message: 'The run was cancelled.' };
  return result;

  function totalRows(all: ManifestStep[], done: StepSummary[]): number {
    const writers = all.filter((s) => s.mode === 'write').map((s) => s.id);
    const counted =
      writers.length > 0 ? done.filter((s) => writers.includes(s.id)) : done.filter((s) => isTerminal(s.id));
    return counted.reduce((sum, s) => sum + s.rows, 0);
  }

  function isTerminal(id: string): boolean {
    return !steps.some((s) => s.needs.includes(id));
  }
}

async function runStep(
  step: ManifestStep,
  options: EngineOptions,
  dataPlane: DataPlane,
  outcomes: Map<string, StepOutcome>,
): Promise<StepOutcome> {
  const { sink, signal } = options;
  const config = options.compiled.cfg[step.id] ?? {};
  const started = performance.now();
  sink.event('step_start', { step_id: step.id, component: step.component, mode: step.mode });
  try {
    const definition = options.registry.get(step.component);
    if (!definition?.loadDriver) {
      throw new OsirisError(
        ErrorCodes.DRIVER_MISSING,
        `No driver is available for component '${step.component}'.`,
        {
          hint: 'Run `osiris components list` to see the components this version can run.',
        },
      );
    }
    let connection: ReturnType<EngineOptions['resolveConnection']> | undefined;
    const ref = typeof config.connection === 'string' ? config.connection : step.connection;
    if (ref) {
      sink.event('connection_resolve_start', { step_id: step.id, connection: ref });
      connection = options.resolveConnection(ref);
      sink.event('connection_resolve_complete', {
        step_id: step.id,
        connection: connection.ref,
        family: connection.family,
        alias: connection.alias,
      });
    }
    const driver: Driver = await definition.loadDriver();
    const inputs = step.needs.map((need) => ({
      stepId: need,
      table: outcomes.get(need)?.result?.table ?? dataPlane.tableFor(need),
    }));
    const ctx = createStepContext({
      runId: options.runId,
      stepId: step.id,
      projectDir: options.projectDir,
      artifactsRoot: options.artifactsDir,
      signal,
      dataPlane,
      sink,
      ...(connection ? { connection } : {}),
    });
    throwIfAborted(signal);
    const result = await driver.run({ stepId: step.id, config, inputs, ctx });
    throwIfAborted(signal);
    const duration = Math.round(performance.now() - started);
    const inputRows = step.needs.reduce((sum, need) => sum + (outcomes.get(need)?.result?.rows ?? 0), 0);
    if (step.mode === 'read') sink.metric('rows_read', result.rows, 'rows', step.id);
    else sink.metric('rows_read', inputRows, 'rows', step.id);
    if (step.mode !== 'read') sink.metric('rows_written', result.rows, 'rows', step.id);
    sink.metric('step_duration_ms', duration, 'ms', step.id);
    sink.event('step_complete', { step_id: step.id, rows: result.rows, duration_ms: duration });
    return { result, durationMs: duration };
  } catch (error) {
    const duration = Math.round(performance.now() - started);
    const serialized = toSerializedError(error, signal);
    sink.metric('step_duration_ms', duration, 'ms', step.id);
    sink.event('step_failed', {
      step_id: step.id,
      error_code: serialized.code,
      message: serialized.message,
      ...(serialized.hint ? { hint: serialized.hint } : {}),
      duration_ms: duration,
    });
    return { error: serialized, durationMs: duration };
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new OsirisError(ErrorCodes.CANCELLED, 'The run was cancelled.');
}

function toSerializedError(error: unknown, signal: AbortSignal): SerializedError {
  if (isOsirisError(error)) return error.toJSON();
  if (signal.aborted) return { code: ErrorCodes.CANCELLED, message: 'The run was cancelled.' };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: ErrorCodes.INTERNAL,
    message,
    hint: 'This looks like a bug in the component; rerun with --verbose.',
  };
}

/**
 * Runs `work` for each step once all its needs have finished (successfully or not), with at most
 * `concurrency` steps at a time. Ready steps start in declaration order, so a one-lane run is
 * exactly the plan's topological order.
 */
async function schedule(
  steps: ManifestStep[],
  concurrency: number,
  work: (step: ManifestStep) => Promise<void>,
): Promise<void> {
  const done = new Set<string>();
  const started = new Set<string>();
  const running = new Set<Promise<void>>();
  while (done.size < steps.length) {
    const ready = steps.filter((s) => !started.has(s.id) && s.needs.every((n) => done.has(n)));
    for (const step of ready) {
      if (running.size >= Math.max(1, concurrency)) break;
      started.add(step.id);
      const task = work(step).then(() => {
        done.add(step.id);
        running.delete(task);
      });
      running.add(task);
    }
    if (running.size === 0) {
      // Nothing can start: unreachable for a validated DAG, but never spin forever.
      if (ready.length === 0) break;
      continue;
    }
    await Promise.race(running);
  }
  await Promise.all(running);
}
