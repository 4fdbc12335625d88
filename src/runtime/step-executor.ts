import type { Registry } from '../registry/registry.js';
import type { ResolvedConnection } from '../spec/connection.js';
import type { DataPlane, Driver } from '../spec/driver.js';
import {
  CancelledError,
  ErrorCodes,
  isOsirisError,
  OsirisError,
  type SerializedError,
} from '../spec/errors.js';
import type { IncrementalWindow } from '../spec/incremental.js';
import type { CompiledPipeline, ManifestStep } from '../spec/manifest.js';
import { auditStep } from './checks/step-checks.js';
import type { CommitBarrier } from './commit-barrier.js';
import type { StepOutcome, UpstreamOutput } from './dag-scheduler.js';
import type { EngineSink } from './engine-types.js';
import { failIfStalled, stepStalledError } from './stall-guard.js';
import { observeCursor } from './state/observe-cursor.js';
import { type StepArtifactsOptions, writeConfigArtifact, writeOutputArtifacts } from './step-artifacts.js';
import { createStepContext } from './step-context.js';
import type { StreamEdge, StreamHub } from './streams/stream-edge.js';

export interface StepExecutionEnvironment {
  runId: string;
  compiled: CompiledPipeline;
  registry: Registry;
  projectDir: string;
  artifactsDir: string;
  dataPlane: DataPlane;
  resolveConnection(ref: string): ResolvedConnection;
  signal: AbortSignal;
  sink: EngineSink;
  /** Cleaned config, output schema and sample in each step's artifacts folder; none without it. */
  artifacts?: StepArtifactsOptions;
  /** step id → the window of each incremental extractor (see PrepareInput.incremental). */
  incremental?: Record<string, IncrementalWindow>;
  /** `on_failure: rollback_all`: writers wait here to commit together; any failure releases them. */
  commitBarrier?: CommitBarrier;
  /** The run's streamed edges (plan.streams): producer and consumer run at once and meet there. */
  streams?: StreamHub;
}

/**
 * Runs one step against a data plane: resolves its connection, loads its driver, and owns
 * everything around `driver.run()` (events, metrics, timing, error shaping) so drivers don't.
 */
export async function executeStep(
  env: StepExecutionEnvironment,
  step: ManifestStep,
  available: UpstreamOutput[],
): Promise<StepOutcome> {
  const { sink, signal } = env;
  const consumes = env.streams?.consumedBy(step.id);
  const produces = env.streams?.producedBy(step.id);
  // A streamed edge's consumer was started with its producer; it begins once the producer's
  // output exists. A producer that fails before that leaves it skipped, as without streaming.
  if (
    consumes &&
    !(await consumes.published.then(
      () => true,
      () => false,
    ))
  )
    return { rows: 0, durationMs: 0, skippedBecause: consumes.producer };
  // `available` also holds the outputs the step's relationship checks read; its inputs are its needs.
  const upstream = available.filter((output) => step.needs.includes(output.stepId));
  const config = env.compiled.cfg[step.id] ?? {};
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  sink.event('step_start', { step_id: step.id, component: step.component, mode: step.mode });
  const barrier = step.mode === 'write' ? env.commitBarrier : undefined;
  let arrived = false;
  const commitTogether =
    barrier || consumes
      ? {
          ready: async () => {
            arrived = true;
            // The rows read so far are all of them only if the producer succeeded.
            if (consumes) await producerSucceeded(consumes);
            if (barrier) await barrier.arrive(step.id);
          },
        }
      : undefined;
  // A consumer stops at once when its producer fails: what it read is incomplete.
  const stepSignal = consumes ? AbortSignal.any([signal, consumes.producerFailed]) : signal;
  try {
    const definition = env.registry.get(step.component);
    if (!definition?.loadDriver) {
      throw new OsirisError(
        ErrorCodes.DRIVER_MISSING,
        `No driver is available for component '${step.component}'.`,
        {
          hint: 'Run `osiris components list` to see the components this version can run.',
        },
      );
    }
    const ref = typeof config.connection === 'string' ? config.connection : step.connection;
    let connection: ResolvedConnection | undefined;
    if (ref) {
      sink.event('connection_resolve_start', { step_id: step.id, connection: ref });
      connection = env.resolveConnection(ref);
      sink.event('connection_resolve_complete', {
        step_id: step.id,
        connection: connection.ref,
        family: connection.family,
        alias: connection.alias,
      });
    }
    const driver: Driver = await definition.loadDriver();
    const window = step.mode === 'read' ? env.incremental?.[step.id] : undefined;
    const ctx = createStepContext({
      runId: env.runId,
      stepId: step.id,
      projectDir: env.projectDir,
      artifactsRoot: env.artifactsDir,
      signal: stepSignal,
      dataPlane: env.dataPlane,
      sink,
      ...(connection ? { connection } : {}),
      ...(window ? { incremental: window } : {}),
      ...(commitTogether ? { commitTogether } : {}),
      ...(produces ? { outputStream: outputStreamOf(produces) } : {}),
      // A writer moves exactly its inputs' rows: progress can show percent and time left (not
      // known yet while they stream in).
      ...(step.mode === 'write' && !consumes
        ? { expectedRows: upstream.reduce((sum, u) => sum + u.rows, 0) }
        : {}),
    });
    if (env.artifacts) await writeConfigArtifact(ctx, config, env.artifacts);
    throwIfAborted(signal);
    const inputs = upstream.map((u) => ({
      stepId: u.stepId,
      table: u.table || env.dataPlane.tableFor(u.stepId),
    }));
    // A writer's checks audit its input before it writes a single row.
    if (step.mode === 'write') await auditStep(env, step, inputs[0]?.table, available);
    // A driver that can never finish must fail its step, not let the process end as if it had.
    const result = await failIfStalled(driver.run({ stepId: step.id, config, inputs, ctx }), () =>
      stepStalledError(step.id, step.component),
    );
    // A writer that commits on its own (a project component that never asks) still counts as
    // ready, so the others are not kept waiting for it. It has committed already: if another step
    // failed meanwhile, that step reports the failure, and this one's success stands as it is.
    if (commitTogether && !arrived) await commitTogether.ready().catch(() => undefined);
    throwIfAborted(signal);
    // A streamed consumer's input rows are the producer's, known once it has finished.
    const streamedRows = consumes ? await producerSucceeded(consumes) : undefined;
    // The new cursor is measured here, in the data plane, for every extractor alike: a missing or
    // unorderable cursor column fails the step before any writer has touched its target.
    const cursor = window
      ? await observeCursor(env.dataPlane, result.table, window.cursor, step.id)
      : undefined;
    // A streamed output was read once, by its consumer: its schema is kept, no sample.
    const artifacts =
      produces?.streamed && env.artifacts ? { ...env.artifacts, samples: false } : env.artifacts;
    if (artifacts && result.table)
      await writeOutputArtifacts(ctx, env.dataPlane, result.table, result.rows, artifacts);
    // Checks run before the step completes: nothing that depends on it starts until they pass.
    if (step.mode !== 'write') await auditStep(env, step, result.table, available);
    const duration = elapsed();
    const inputRows = streamedRows ?? upstream.reduce((sum, u) => sum + u.rows, 0);
    sink.metric('rows_read', step.mode === 'read' ? result.rows : inputRows, 'rows', step.id);
    if (step.mode !== 'read') sink.metric('rows_written', result.rows, 'rows', step.id);
    sink.metric('step_duration_ms', duration, 'ms', step.id);
    sink.event('step_complete', { step_id: step.id, rows: result.rows, duration_ms: duration });
    // A producer that loaded a table after all (it could not stream) lets its consumer start now,
    // as if the edge had never streamed.
    produces?.publish(false);
    produces?.settleProducer({ ok: true, rows: result.rows });
    return {
      ...(result.table ? { table: result.table } : {}),
      rows: result.rows,
      durationMs: duration,
      ...(cursor ? { cursor } : {}),
    };
  } catch (error) {
    // No writer of a rollback_all run may commit once any step has failed.
    env.commitBarrier?.fail(error instanceof Error ? error : new Error(String(error)));
    const duration = elapsed();
    let serialized = serializeStepError(error, signal);
    produces?.settleProducer({ ok: false, code: serialized.code });
    if (consumes) {
      consumes.settleReader({ error });
      // When the producer failed, that is the cause: this step only stopped with it.
      const producer = await consumes.producerDone;
      if (!producer.ok && producer.code !== ErrorCodes.CANCELLED && !signal.aborted)
        serialized = stoppedWithProducer(consumes).toJSON();
    }
    sink.metric('step_duration_ms', duration, 'ms', step.id);
    sink.event('step_failed', {
      step_id: step.id,
      error_code: serialized.code,
      message: serialized.message,
      ...(serialized.hint ? { hint: serialized.hint } : {}),
      duration_ms: duration,
    });
    return { rows: 0, error: serialized, durationMs: duration };
  }
}

/** The producer's row count once it has succeeded; a cancellation naming it when it failed. */
async function producerSucceeded(edge: StreamEdge): Promise<number> {
  edge.settleReader({});
  const producer = await edge.producerDone;
  if (producer.ok) return producer.rows;
  throw stoppedWithProducer(edge);
}

function stoppedWithProducer(edge: StreamEdge): CancelledError {
  return new CancelledError(
    `Stopped: step ${edge.producer}, whose rows this step was reading, failed; nothing was written.`,
  );
}

function outputStreamOf(edge: StreamEdge): NonNullable<ReturnType<typeof createStepContext>['outputStream']> {
  return { consumer: edge.consumer, published: () => edge.publish(true), readerDone: edge.readerDone };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError('The run was cancelled.');
}

function serializeStepError(error: unknown, signal: AbortSignal): SerializedError {
  if (signal.aborted) return { code: ErrorCodes.CANCELLED, message: 'The run was cancelled.' };
  if (isOsirisError(error)) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: ErrorCodes.INTERNAL,
    message,
    hint: 'This looks like a bug in the component; rerun with --verbose.',
  };
}
