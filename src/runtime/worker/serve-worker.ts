import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isSecretKey, Redactor } from '../../observability/redaction.js';
import type { Registry } from '../../registry/registry.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, isOsirisError, OsirisError, type SerializedError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import type { CompiledPipeline, Manifest } from '../../spec/manifest.js';
import { type CommitBarrier, commitBarrierFor } from '../commit-barrier.js';
import { createDataPlane, type RunDataPlane } from '../data-plane/index.js';
import type { EngineSink } from '../engine-types.js';
import type { StepArtifactsOptions } from '../step-artifacts.js';
import { executeStep } from '../step-executor.js';
import { dropStepOutput } from '../streams/drop-output.js';
import { StreamHub } from '../streams/stream-edge.js';
import { encodeLine, WORKER_CONNECTIONS_ENV, type WorkerCommand, workerCommand } from './protocol.js';

/**
 * The proxy worker: a separate Node process that runs steps with the same drivers and the same
 * DuckDB data plane as a local run, and reports over stdout. stdout belongs to the protocol, so
 * anything else a library prints goes to stderr.
 */
let protocolOut: (text: string) => boolean = (text) => process.stdout.write(text);

type ConnectionEntry = { connection: ResolvedConnection } | { error: SerializedError };

interface PreparedWorker {
  runId: string;
  projectDir: string;
  compiled: CompiledPipeline;
  dataPlane: RunDataPlane;
  artifacts?: StepArtifactsOptions;
  /** step id → window of each incremental extractor, as the host loaded it. */
  incremental?: Record<string, IncrementalWindow>;
  /** Built-ins plus the project's own components (`components/<name>/` under project_dir). */
  registry: Registry;
  /** `on_failure: rollback_all`: the writers' commit gate, released by any failure or a cancel. */
  commitBarrier?: CommitBarrier;
  /** The run's streamed edges: both steps of one run here at once, as two `exec_step`s. */
  streams?: StreamHub;
}

let connections: Record<string, ConnectionEntry> = {};
let registryFor: (projectDir: string) => Registry;
let prepared: PreparedWorker | undefined;
/** One per running step: streamed edges run two `exec_step`s at once, and `cancel` stops both. */
const stepAborts = new Set<AbortController>();
/** Aborted by `cancel`: releases writers waiting to commit together, whichever step was cancelled. */
let runAbort = new AbortController();

const send = (message: unknown) => protocolOut(encodeLine(message));

const sink: EngineSink = {
  event: (name, fields = {}) => send({ type: 'event', name, fields }),
  metric: (name, value, unit, stepId, tags) =>
    send({
      type: 'metric',
      name,
      value,
      unit,
      ...(stepId ? { step_id: stepId } : {}),
      ...(tags ? { tags } : {}),
    }),
  progress: (stepId, rows, totalRows) =>
    send({
      type: 'progress',
      step_id: stepId,
      rows,
      ...(totalRows === undefined ? {} : { total_rows: totalRows }),
    }),
};

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.type) {
    case 'ping':
      return { pong: true, pid: process.pid, node: process.version };
    case 'prepare': {
      const registry = registryFor(command.project_dir);
      const dataPlane = await createDataPlane({
        directory: join(process.cwd(), 'dataplane'),
        allowedDirectories: [command.project_dir],
        baseDirectory: command.project_dir,
      });
      runAbort = new AbortController();
      const manifest = command.manifest as unknown as Manifest;
      const commitBarrier = commitBarrierFor(manifest, runAbort.signal);
      const streams = StreamHub.forManifest(manifest);
      prepared = {
        ...(commitBarrier ? { commitBarrier } : {}),
        ...(streams ? { streams } : {}),
        runId: command.run_id,
        projectDir: command.project_dir,
        compiled: { manifest, cfg: command.cfg },
        dataPlane,
        registry,
        ...(command.artifacts ? { artifacts: workerArtifacts(command.artifacts.samples) } : {}),
        ...(command.incremental ? { incremental: command.incremental } : {}),
      };
      return { ready: true, settings: await dataPlane.settings() };
    }
    case 'exec_step': {
      if (!prepared) throw new OsirisError(ErrorCodes.WORKER_PROTOCOL, 'exec_step before prepare.');
      const step = prepared.compiled.manifest.steps.find((s) => s.id === command.step_id);
      if (!step) throw new OsirisError(ErrorCodes.WORKER_PROTOCOL, `Unknown step '${command.step_id}'.`);
      const stepAbort = new AbortController();
      stepAborts.add(stepAbort);
      return whileStepRuns(
        executeStep(
          {
            runId: prepared.runId,
            compiled: prepared.compiled,
            registry: prepared.registry,
            projectDir: prepared.projectDir,
            artifactsDir: `${process.cwd()}/artifacts`,
            dataPlane: prepared.dataPlane,
            resolveConnection,
            signal: stepAbort.signal,
            sink,
            ...(prepared.artifacts ? { artifacts: prepared.artifacts } : {}),
            ...(prepared.incremental ? { incremental: prepared.incremental } : {}),
            ...(prepared.commitBarrier ? { commitBarrier: prepared.commitBarrier } : {}),
            ...(prepared.streams ? { streams: prepared.streams } : {}),
          },
          step,
          command.upstream,
        ).finally(() => stepAborts.delete(stepAbort)),
      );
    }
    case 'cancel':
      for (const abort of stepAborts) abort.abort();
      runAbort.abort();
      return { cancelled: true };
    case 'drop_tables': {
      const dataPlane = prepared?.dataPlane;
      if (!dataPlane) return { dropped: 0 };
      for (const table of command.tables) await dropStepOutput(dataPlane, table);
      return { dropped: command.tables.length };
    }
    case 'cleanup':
      await prepared?.dataPlane.close();
      prepared = undefined;
      return { cleaned: true };
  }
}

/**
 * While a step runs, stdin must not keep the worker alive: only the step's own work may, so that a
 * step that can never finish is noticed (the loop drains and the stall guard fails it) instead of
 * the worker, and with it the run, waiting forever. Between steps stdin keeps it alive for the next
 * command. Commands (such as `cancel`) still arrive while it is unref'd.
 */
let runningSteps = 0;
const stdinHandle = process.stdin as unknown as { ref?(): void; unref?(): void };
async function whileStepRuns<T>(work: Promise<T>): Promise<T> {
  if (runningSteps++ === 0) stdinHandle.unref?.();
  try {
    return await work;
  } finally {
    if (--runningSteps === 0) stdinHandle.ref?.();
  }
}

function resolveConnection(ref: string): ResolvedConnection {
  const entry = connections[ref];
  if (!entry) {
    throw new OsirisError(ErrorCodes.CONNECTION_NOT_FOUND, `Connection ${ref} was not passed to the worker.`);
  }
  if ('error' in entry) {
    throw new OsirisError(entry.error.code as typeof ErrorCodes.CONNECTION_NOT_FOUND, entry.error.message, {
      ...(entry.error.hint ? { hint: entry.error.hint } : {}),
    });
  }
  return entry.connection;
}

/**
 * Artifacts written here are masked with the secrets of the connections this worker holds, the
 * same values the parent's run redactor knows for them, before they touch the worker's disk.
 */
function workerArtifacts(samples: boolean): StepArtifactsOptions {
  const secrets: string[] = [];
  for (const entry of Object.values(connections)) {
    if (!('connection' in entry)) continue;
    const { fields, secretFields } = entry.connection;
    for (const [field, value] of Object.entries(fields)) {
      if (typeof value === 'string' && (secretFields.includes(field) || isSecretKey(field)))
        secrets.push(value);
    }
  }
  const redactor = new Redactor(secrets);
  return { samples, redact: (value) => redactor.value(value) };
}

function toError(error: unknown): SerializedError {
  if (isOsirisError(error)) return error.toJSON();
  return { code: ErrorCodes.INTERNAL, message: error instanceof Error ? error.message : String(error) };
}

/**
 * Serves the worker protocol on stdin/stdout until stdin closes. `registryFor` gives the
 * components of a project (the composition root binds the built-in families).
 */
export function serveWorker(options: { registryFor(projectDir: string): Registry }): void {
  registryFor = options.registryFor;
  protocolOut = process.stdout.write.bind(process.stdout);
  console.log = (...args: unknown[]) => console.error(...args);
  console.info = console.log;
  connections = JSON.parse(process.env[WORKER_CONNECTIONS_ENV] ?? '{}');
  delete process.env[WORKER_CONNECTIONS_ENV];
  // The parent cancels its worker with `cancel`; a Ctrl-C reaching the whole process group must not
  // kill the worker before it has stopped its steps cleanly (a second Ctrl-C ends the parent, whose
  // exit closes our stdin).
  process.on('SIGINT', () => undefined);

  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let command: WorkerCommand;
    try {
      command = workerCommand.parse(JSON.parse(line));
    } catch (error) {
      send({
        type: 'error',
        error: {
          code: ErrorCodes.WORKER_PROTOCOL,
          message: `Malformed command: ${(error as Error).message.slice(0, 300)}`,
        },
      });
      return;
    }
    // `cancel` must overtake a running exec_step, so commands are not serialised.
    handle(command).then(
      (result) => send({ type: 'response', id: command.id, result }),
      (error) => send({ type: 'error', id: command.id, error: toError(error) }),
    );
  });
  // stdin closes when the parent is done with us (or has died): every result has been sent, so the
  // exit status carries nothing more. The data plane is closed first so DuckDB releases its files;
  // the explicit exit ends the process even if a driver left a socket or timer behind. A failing
  // close is not reported: nobody is left to read it, and its folder is the parent's to remove.
  lines.on('close', () => {
    void prepared?.dataPlane.close().finally(() => process.exit(0));
    if (!prepared) process.exit(0);
  });
}
