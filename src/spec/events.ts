/** Event names written to events.jsonl (noun_action). */
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
  'run_complete',
] as const;
export type EventName = (typeof EventNames)[number] | (string & {});

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
  metric: string;
  value: number;
  unit: string;
  step_id?: string;
  tags?: Record<string, string>;
}

export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled';

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
  session_dir: string;
  error?: { code: string; message: string; hint?: string; step_id?: string };
}
