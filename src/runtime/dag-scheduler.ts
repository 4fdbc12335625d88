import { stepDependencies } from '../spec/checks.js';
import { ErrorCodes, type SerializedError } from '../spec/errors.js';
import type { StepSummary } from '../spec/events.js';
import type { CursorValue } from '../spec/incremental.js';
import type { ManifestStep } from '../spec/manifest.js';
import { deferred } from '../util/deferred.js';
import type { EngineResult, EngineSink } from './engine-types.js';

/** What one step produced: its output table and row count, or the error it failed with. */
export interface StepOutcome {
  table?: string;
  rows: number;
  error?: SerializedError;
  durationMs: number;
  /** An incremental extractor's largest cursor value in what it read. */
  cursor?: CursorValue;
  /** A streamed edge's consumer that never began: its producer failed first (that step's id). */
  skippedBecause?: string;
}

export interface UpstreamOutput {
  stepId: string;
  table: string;
  rows: number;
}

/** Runs a single step wherever the adapter keeps its data plane (this process, or a worker). */
export type StepExecutor = (step: ManifestStep, upstream: UpstreamOutput[]) => Promise<StepOutcome>;

/**
 * Walks the manifest's DAG: a step starts when all its needs have succeeded, a step whose need
 * failed is skipped, independent branches run concurrently up to `concurrency`. Ready steps
 * start in declaration order, so a one-lane run follows the plan's topological order exactly.
 * Shared by every adapter, which is what keeps their event streams identical.
 */
export async function runDag(options: {
  steps: ManifestStep[];
  concurrency: number;
  signal: AbortSignal;
  sink: EngineSink;
  execute: StepExecutor;
  /**
   * Drop a step's output table from the data plane. Called once every step that needs it has
   * finished (succeeded, failed, was skipped or cancelled), so a long chain holds a couple of
   * tables at a time instead of all of them. Tables no step needs (final outputs) are kept until
   * the data plane closes. A failure to drop is ignored: the table only stays until the run ends.
   */
  release?: (table: string, stepId: string) => Promise<void>;
  /**
   * Streamed edges (plan.streams): the consumer starts together with its producer, without a
   * lane of its own (it only reads what the producer sends, and a one-lane run would otherwise
   * wait forever), and its executor waits for the producer's output to exist.
   */
  streams?: ReadonlyArray<{ from: string; to: string }>;
}): Promise<EngineResult> {
  const { steps, signal, sink } = options;
  const streamedFrom = new Map((options.streams ?? []).map((edge) => [edge.to, edge.from]));
  // Whether each streamed producer got as far as running (false: it was skipped or cancelled).
  const producerRuns = new Map([...streamedFrom.values()].map((producer) => [producer, deferred<boolean>()]));
  const summaries = new Map<string, StepSummary>(
    steps.map((s) => [
      s.id,
      { id: s.id, component: s.component, status: 'pending', rows: 0, duration_ms: 0 },
    ]),
  );
  const outcomes = new Map<string, StepOutcome>();

  const visit = async (step: ManifestStep): Promise<void> => {
    const runs = producerRuns.get(step.id);
    try {
      await visitStep(step, () => runs?.resolve(true));
    } finally {
      runs?.resolve(false);
    }
  };

  const visitStep = async (step: ManifestStep, executing: () => void): Promise<void> => {
    const summary = summaries.get(step.id)!;
    const producer = streamedFrom.get(step.id);
    if (producer !== undefined && !(await producerRuns.get(producer)!.promise)) {
      summary.status = signal.aborted ? 'cancelled' : 'skipped';
      if (!signal.aborted)
        sink.event('step_skipped', { step_id: step.id, reason: 'upstream_failed', upstream: producer });
      return;
    }
    // A step also waits for the steps its relationship checks read (stepDependencies).
    const blockedBy = stepDependencies(step).find(
      (need) => need !== streamedFrom.get(step.id) && summaries.get(need)?.status !== 'success',
    );
    if (blockedBy !== undefined) {
      summary.status = signal.aborted ? 'cancelled' : 'skipped';
      if (!signal.aborted)
        sink.event('step_skipped', { step_id: step.id, reason: 'upstream_failed', upstream: blockedBy });
      return;
    }
    if (signal.aborted) {
      summary.status = 'cancelled';
      return;
    }
    // A streamed producer is still running: its rows are counted as they pass.
    const upstream = stepDependencies(step).map((need) => {
      const outcome = outcomes.get(need);
      return { stepId: need, table: outcome?.table ?? '', rows: outcome?.rows ?? 0 };
    });
    executing();
    const outcome = await options.execute(step, upstream);
    if (outcome.skippedBecause !== undefined) {
      summary.status = signal.aborted ? 'cancelled' : 'skipped';
      if (!signal.aborted)
        sink.event('step_skipped', {
          step_id: step.id,
          reason: 'upstream_failed',
          upstream: outcome.skippedBecause,
        });
      return;
    }
    outcomes.set(step.id, outcome);
    summary.rows = outcome.rows;
    summary.duration_ms = outcome.durationMs;
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
  };

  const releaseInputs = releaser(steps, outcomes, options.release);
  await inDependencyOrder(steps, options.concurrency, streamedFrom, (step) =>
    visit(step).finally(() => releaseInputs(step)),
  );

  const list = steps.map((s) => summaries.get(s.id)!);
  for (const summary of list) if (summary.status === 'pending') summary.status = 'cancelled';
  const failed = list.find((s) => s.status === 'failed');
  const status = failed
    ? 'failed'
    : signal.aborted || list.some((s) => s.status === 'cancelled')
      ? 'cancelled'
      : 'success';
  const result: EngineResult = { status, steps: list, totalRows: totalRows(steps, list) };
  const cursors = Object.fromEntries(
    [...outcomes].flatMap(([id, outcome]) =>
      outcome.cursor && !outcome.error ? [[id, outcome.cursor]] : [],
    ),
  );
  if (Object.keys(cursors).length > 0) result.cursors = cursors;
  if (failed?.error) result.error = { ...failed.error, step_id: failed.id };
  else if (status === 'cancelled')
    result.error = { code: ErrorCodes.CANCELLED, message: 'The run was cancelled.' };
  return result;
}

/**
 * Rows delivered: the rows the writers wrote, each set of rows counted once however many writers
 * wrote it (150 rows to CSV and to Parquet are 150 rows, not 300); for a pipeline without
 * writers, its final steps' rows. Each writer's own count is in its step summary.
 */
export function totalRows(steps: ManifestStep[], summaries: readonly StepSummary[]): number {
  const rows = new Map(summaries.map((s) => [s.id, s.rows]));
  const writers = steps.filter((s) => s.mode === 'write');
  if (writers.length === 0) {
    const terminal = steps.filter((s) => !steps.some((other) => other.needs.includes(s.id)));
    return terminal.reduce((sum, s) => sum + (rows.get(s.id) ?? 0), 0);
  }
  // Writers of the same input write the same rows: the largest count stands for the group.
  const byInput = new Map<string, number>();
  for (const writer of writers) {
    const input = writer.needs.length > 0 ? [...writer.needs].sort().join('\0') : `\0${writer.id}`;
    byInput.set(input, Math.max(byInput.get(input) ?? 0, rows.get(writer.id) ?? 0));
  }
  return [...byInput.values()].reduce((sum, count) => sum + count, 0);
}

/**
 * Counts, for each step, the consumers (steps that need it) still to finish; when the last one
 * has, the step's table is released. A table two outcomes share (a driver that passed its input
 * through) is released only when neither needs it any more.
 */
function releaser(
  steps: ManifestStep[],
  outcomes: Map<string, StepOutcome>,
  release: ((table: string, stepId: string) => Promise<void>) | undefined,
): (step: ManifestStep) => Promise<void> {
  const consumersLeft = new Map<string, number>();
  for (const step of steps)
    for (const need of stepDependencies(step)) consumersLeft.set(need, (consumersLeft.get(need) ?? 0) + 1);
  const released = new Set<string>();
  return async (finished) => {
    if (!release) return;
    for (const need of stepDependencies(finished)) {
      const left = (consumersLeft.get(need) ?? 1) - 1;
      consumersLeft.set(need, left);
      const table = outcomes.get(need)?.table;
      if (left > 0 || !table) continue;
      released.add(need);
      const stillUsed = [...outcomes].some(
        ([stepId, outcome]) => outcome.table === table && !released.has(stepId),
      );
      if (!stillUsed) await release(table, need).catch(() => undefined);
    }
  };
}

async function inDependencyOrder(
  steps: ManifestStep[],
  concurrency: number,
  streamedFrom: ReadonlyMap<string, string>,
  visit: (step: ManifestStep) => Promise<void>,
): Promise<void> {
  const done = new Set<string>();
  const started = new Set<string>();
  const running = new Set<Promise<void>>();
  let lanesTaken = 0;
  const ready = (step: ManifestStep) => {
    const producer = streamedFrom.get(step.id);
    return stepDependencies(step).every((need) => done.has(need) || (need === producer && started.has(need)));
  };
  const start = (step: ManifestStep, lane: boolean) => {
    started.add(step.id);
    if (lane) lanesTaken++;
    const task: Promise<void> = visit(step).finally(() => {
      done.add(step.id);
      if (lane) lanesTaken--;
      running.delete(task);
    });
    running.add(task);
  };
  while (done.size < steps.length) {
    for (const step of steps) {
      if (started.has(step.id) || !ready(step)) continue;
      // A streamed consumer rides along with its producer; everything else takes a lane.
      const rides = streamedFrom.has(step.id);
      if (!rides && lanesTaken >= Math.max(1, concurrency)) continue;
      start(step, !rides);
      // Its consumer starts at the same moment: the producer waits for a reader.
      const consumer = steps.find((other) => streamedFrom.get(other.id) === step.id);
      if (consumer && !started.has(consumer.id) && ready(consumer)) start(consumer, false);
    }
    // A validated DAG always has a ready step while any remain; this guards against a corrupt manifest.
    if (running.size === 0) break;
    await Promise.race(running);
  }
}
