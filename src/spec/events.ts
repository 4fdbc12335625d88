/**
 * Every event name written to events.jsonl (noun_action): the run's own, and what drivers report
 * through `ctx.log.event`. A new event is added here first; the compiler refuses any other name.
 */
export const EventNames = [
  'run_start',
  'adapter_selected',
  'step_start',
  'connection_resolve_start',
  'connection_resolve_complete',
  'step_progress',
  'step_complete',
  'step_failed',
  'step_skipped',
  'artifact_created',
  'warning',
  'debug',
  'run_complete',
  /** A connection attempt failed with a transient error and will be tried again. */
  'connection_retry',
  /** An extractor learned its source's columns (and types) before streaming rows. */
  'source_described',
  /** A writer created its target table. */
  'table_created',
  /** A filesystem writer finished its output file. */
  'output_written',
  /** A filesystem writer removed a temporary file an interrupted run left behind. */
  'stale_temp_removed',
  /** The worker process printed something that is not a protocol message. */
  'worker_protocol_error',
  /** A later command found the run's process gone and marked the run `crashed` (issue 19). */
  'run_crashed',
  /** A run removed what a crashed run left behind (temp folder, hidden temp output files). */
  'crashed_run_leftovers_removed',
  /** A database writer dropped a staging table an interrupted run left behind. */
  'stale_staging_dropped',
  /** A database writer changed its target's columns to take the input (schema_change: evolve), or dropped input columns (discard_columns). */
  'schema_changed',
  /** An incremental extractor's window was chosen: from the stored state, the target, or its initial value. */
  'state_loaded',
  /** A missing state was recovered from the target table's max(cursor). */
  'state_recovered',
  /** The new cursor value of an incremental extractor was stored, after all its writers succeeded. */
  'state_committed',
  /** A data check on a step's output held (issue 15). */
  'check_passed',
  /** A data check on a step's output failed: an `error` check fails its step, a `warn` check is reported. */
  'check_failed',
] as const;
export type EventName = (typeof EventNames)[number];

/** Every metric name written to metrics.jsonl; like events, a new one is added here first. */
export const MetricNames = [
  'rows_read',
  'rows_written',
  'rows_inserted',
  'rows_updated',
  /** Target rows a writer deleted (delete_insert, deleted_column) or closed (scd2). */
  'rows_deleted',
  'bytes_read',
  'bytes_written',
  'step_duration_ms',
  'peak_rss_bytes',
  /** Rows (or key values) that broke a data check, tagged with the check's name. */
  'check_failing_rows',
  /** Time one data check took, tagged with its name. */
  'check_duration_ms',
] as const;
export type MetricName = (typeof MetricNames)[number];

export interface RunEvent {
  ts: string;
  run_id: string;
  event: EventName;
  step_id?: string;
  [field: string]: unknown;
}

export interface MetricRecord {
  ts: string;
  run_id: string;
  metric: MetricName;
  value: number;
  unit: string;
  step_id?: string;
  tags?: Record<string, string>;
}

/** `crashed`: the run's process ended without finishing it (set by a later command that noticed). */
export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled' | 'crashed';

export interface StepSummary {
  id: string;
  component: string;
  status: 'pending' | 'running' | 'success' | 'failed' | 'skipped' | 'cancelled';
  rows: number;
  duration_ms: number;
  error?: { code: string; message: string; hint?: string };
}

/** status.json of a run session; also what `osiris run --json` prints. */
export interface RunStatusFile {
  run_id: string;
  pipeline: string;
  status: RunStatus;
  adapter: string;
  started_at: string;
  finished_at?: string;
  duration_ms?: number;
  /**
   * Rows the pipeline delivered: what its writers wrote, each input counted once however many
   * writers wrote it (150 rows to CSV and Parquet are 150); without writers, its final steps'
   * rows. Each writer's own count is in `steps`.
   */
  total_rows: number;
  steps: StepSummary[];
  manifest_fp: string;
  /** `osiris run --skip-checks`: the pipeline's data checks did not run. */
  skip_checks?: boolean;
  session_dir: string;
  error?: { code: string; message: string; hint?: string; step_id?: string };
  /**
   * The process running the run: a later command on the same host that finds it gone marks the
   * run `crashed`. `started` is the process start time (Linux), so a reused pid is not mistaken for
   * it; `tmpdir` is where the run's temporary data-plane folder (`osiris-run-<run_id>-*`) lives.
   */
  process?: { pid: number; host: string; started?: string; tmpdir: string };
  /** When a later command removed what the crashed run left behind (temp folder and files). */
  leftovers_removed_at?: string;
}
