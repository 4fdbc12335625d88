import type { Registry } from '../../registry/registry.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import type { CompiledPipeline } from '../../spec/manifest.js';
import type { EngineResult, EngineSink } from '../engine-types.js';
import type { StepArtifactsOptions } from '../step-artifacts.js';

export interface PrepareInput {
  runId: string;
  compiled: CompiledPipeline;
  registry: Registry;
  projectDir: string;
  /** The run session's artifacts/ folder, where collected artifacts must end up. */
  artifactsDir: string;
  resolveConnection(ref: string): ResolvedConnection;
  /**
   * Each step's cleaned config, output schema and sample. `redact` is the run's redactor where the
   * steps run in this process; a worker applies the same masking with the connections it holds.
   */
  artifacts?: StepArtifactsOptions;
  /**
   * step id → the window each incremental extractor reads, loaded from the state on the host. A
   * worker gets it as input and returns each step's largest cursor; only the host stores state.
   */
  incremental?: Record<string, IncrementalWindow>;
}

export interface ExecuteContext {
  sink: EngineSink;
  signal: AbortSignal;
}

/**
 * Where a run executes: `prepare → execute → collect`. Every adapter runs the same engine, so a
 * pipeline yields the same events, metrics and output bytes wherever it runs.
 */
export interface ExecutionAdapter<Prepared = unknown> {
  readonly name: string;
  /**
   * Checks that need no work (a missing API key): called before the run session starts, so a
   * problem is invalid input (exit 2) rather than a failed run. Optional.
   */
  preflight?(input: { projectDir: string }): Promise<void> | void;
  prepare(input: PrepareInput): Promise<Prepared>;
  execute(prepared: Prepared, context: ExecuteContext): Promise<EngineResult>;
  /** Bring artifacts home and release resources; always called, also after a failure. */
  collect(prepared: Prepared): Promise<void>;
}
