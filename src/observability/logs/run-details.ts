import type { MetricRecord, RunEvent, RunStatus, StepSummary } from '../../spec/events.js';
import type { Fingerprints, Manifest } from '../../spec/manifest.js';

export type StepStatus = StepSummary['status'];

export interface RunErrorDetails {
  code: string;
  message: string;
  hint?: string;
  stepId?: string;
}

export interface ArtifactDetails {
  /** Relative to the session folder: `artifacts/<step_id>/…`. */
  path: string;
  bytes: number;
}

export interface OutputDetails {
  path: string;
  bytes?: number;
  rows?: number;
}

/** The columns of a step's output table, from `artifacts/<step_id>/schema.json`. */
export interface OutputSchema {
  columns: Array<{ name: string; type: string; nullable?: boolean }>;
  rows?: number;
}

/** The first rows of a step's output (redacted), from `artifacts/<step_id>/sample.json`. */
export interface OutputSample {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** One data check of a step as the report shows it. */
export interface CheckDetails {
  name: string;
  type: string;
  severity: 'error' | 'warn';
  /** `warned`: a `warn` check that failed (the run went on). */
  outcome: 'passed' | 'warned' | 'failed';
  observed: string;
  failingRows: number;
  /** A few offending rows, redacted. */
  sample?: OutputSample;
}

/** The window an incremental extractor read, as its state events recorded it. */
export interface IncrementalDetails {
  cursor: string;
  /** Where the window started from: state, target, initial_value, everything, full_refresh, backfill. */
  origin: string;
  from?: string;
  to?: string;
  /** The cursor stored after the run's writers succeeded; absent when nothing was stored. */
  committed?: string;
}

/** Everything known about one step of a run, gathered from status.json, events, metrics and cfg/. */
export interface StepDetails {
  id: string;
  component: string;
  mode?: string;
  needs: string[];
  status: StepStatus;
  rows: number;
  rowsRead?: number;
  rowsWritten?: number;
  bytesWritten?: number;
  durationMs?: number;
  startedAt?: string;
  finishedAt?: string;
  connection?: string;
  /** Step config with secret-named values masked. */
  config?: Record<string, unknown>;
  artifacts: ArtifactDetails[];
  outputs: OutputDetails[];
  /** Output table schema and sample rows, when the run recorded them. */
  schema?: OutputSchema;
  sample?: OutputSample;
  warnings: string[];
  /** Data checks that ran on the step's output, in order (from check_passed/check_failed events). */
  checks?: CheckDetails[];
  /** An incremental extractor's window (state_loaded) and the cursor it stored (state_committed). */
  incremental?: IncrementalDetails;
  error?: RunErrorDetails;
  skipped?: { reason: string; upstream?: string };
}

/** A run session read back from disk, redacted and ready to display. */
export interface RunDetails {
  runId: string;
  pipeline: string;
  status: RunStatus;
  adapter: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  totalRows: number;
  manifestFp: string;
  /** Absolute path of the session folder. */
  sessionDir: string;
  error?: RunErrorDetails;
  steps: StepDetails[];
  /** Steps grouped by depth in the DAG (from the manifest's plan, else derived from `needs`). */
  levels: string[][];
  events: RunEvent[];
  metrics: MetricRecord[];
  manifest?: { text: string; value?: Manifest };
  fingerprints?: Partial<Fingerprints>;
  peakRssBytes?: number;
  /** Problems met while reading the session (a truncated events.jsonl, a missing manifest). */
  problems: string[];
}
