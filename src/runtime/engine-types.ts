import type { Registry } from '../registry/registry.js';
import type { ResolvedConnection } from '../spec/connection.js';
import type { SerializedError } from '../spec/errors.js';
import type { EventName, MetricName, StepSummary } from '../spec/events.js';
import type { CursorValue, IncrementalWindow } from '../spec/incremental.js';
import type { CompiledPipeline } from '../spec/manifest.js';
import type { StepArtifactsOptions } from './step-artifacts.js';

/** Where the engine reports what happens. A run session locally; stdout JSON Lines in a worker. */
export interface EngineSink {
  event(name: EventName, fields?: Record<string, unknown>): void;
  metric(name: MetricName, value: number, unit: string, stepId?: string, tags?: Record<string, string>): void;
  /** Live row counts for progress displays; not written to events (its timing differs per adapter). */
  progress?(stepId: string, rows: number, totalRows?: number): void;
}

export interface EngineOptions {
  runId: string;
  compiled: CompiledPipeline;
  registry: Registry;
  projectDir: string;
  /** Folder for the run's DuckDB data plane (temp; removed by the caller). */
  workDir: string;
  /** `artifacts/` of the run session; each step gets `<artifactsDir>/<step_id>/`. */
  artifactsDir: string;
  resolveConnection(ref: string): ResolvedConnection;
  signal: AbortSignal;
  sink: EngineSink;
  /** Cleaned config, output schema and sample written into each step's artifacts folder. */
  artifacts?: StepArtifactsOptions;
  /** Independent branches run concurrently up to this many steps (default 2). */
  concurrency?: number;
  /** step id → the window each incremental extractor reads (chosen by the host from its state). */
  incremental?: Record<string, IncrementalWindow>;
}

export interface EngineResult {
  status: 'success' | 'failed' | 'cancelled';
  steps: StepSummary[];
  totalRows: number;
  error?: SerializedError & { step_id?: string };
  /** step id → the largest cursor value each incremental extractor saw (stored by the host on success). */
  cursors?: Record<string, CursorValue>;
}
