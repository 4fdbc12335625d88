/**
 * The AI Operation Package (AIOP) of one run: a deterministic, secret-free JSON core (at most
 * `max_core_bytes`) plus NDJSON annex files. Every fact a narrative sentence states cites the
 * evidence it comes from by a stable id `ev.<kind>.<step>.<name>.<ms>` (ms after the run start).
 */
export const AIOP_VERSION = '1.0';
export const DEFAULT_MAX_CORE_BYTES = 300_000;

/** One fact of the run: an event or a metric record, with its stable id. */
export interface Evidence {
  id: string;
  kind: 'event' | 'metric';
  /** The step it belongs to, or `run`. */
  step: string;
  /** The event or metric name. */
  name: string;
  /** Milliseconds after the run started. */
  ms: number;
  /** The event's or metric's own fields (without ts and run_id). */
  data: Record<string, unknown>;
}

/** Where the cause of a failure lies, and what to do about it. */
export interface AiopCause {
  /** `pipeline`: fix the OML; `environment`: a server, credential, disk or network; else unknown. */
  location: 'pipeline' | 'environment' | 'interrupted' | 'unknown';
  reason: string;
  /** The command that checks the environment (`osiris connections doctor @mysql.prod`). */
  next_command?: string;
}

export interface AiopError {
  step: string;
  component?: string;
  connection?: string;
  code: string;
  message: string;
  hint?: string;
  cause: AiopCause;
  evidence: string[];
}

export interface AiopStep {
  id: string;
  component: string;
  mode?: string;
  needs: string[];
  connection?: string;
  status: string;
  rows: number;
  rows_read?: number;
  rows_written?: number;
  duration_ms?: number;
  /** When the step started, ms after the run start. */
  started_ms?: number;
  config?: Record<string, unknown>;
  schema?: { columns: Array<{ name: string; type: string; nullable?: boolean }>; rows?: number };
  sample?: { columns: string[]; rows: Array<Record<string, unknown>> };
  warnings?: string[];
  error?: { code: string; message: string; hint?: string };
  skipped?: { reason: string; upstream?: string };
  evidence: string[];
}

export interface Change {
  previous: number;
  current: number;
  change: number;
}

export interface SchemaDelta {
  added: string[];
  removed: string[];
  changed: Array<{ name: string; from: string; to: string }>;
}

export interface StepDelta {
  id: string;
  rows?: Change;
  duration_ms?: Change;
  schema?: SchemaDelta;
}

/** The run against the previous successful run of the same pipeline. */
export interface AiopDelta {
  previous_run_id: string | null;
  note?: string;
  rows?: Change;
  duration_ms?: Change;
  steps?: StepDelta[];
  steps_added?: string[];
  steps_removed?: string[];
}

export interface NarrativeSentence {
  text: string;
  cites: string[];
}

export interface TruncationMarker {
  section: string;
  kept: number;
  total: number;
  /** The annex file holding everything, relative to the package folder. */
  annex: string;
}

export interface AiopCore {
  aiop_version: string;
  run: {
    run_id: string;
    pipeline: string;
    status: string;
    adapter: string;
    started_at: string;
    finished_at?: string;
    duration_ms?: number;
    total_rows: number;
    manifest_fp: string;
    fingerprints?: Record<string, string>;
    params?: Record<string, unknown>;
    evidence: string[];
  };
  dag: { levels: string[][]; edges: Array<{ from: string; to: string }>; steps: AiopStep[] };
  errors: AiopError[];
  /** Data check results (check_passed / check_failed events), when the run had checks. */
  checks: Array<Record<string, unknown>>;
  /** Incremental windows (state_* events), when the run read incrementally. */
  incremental: Array<Record<string, unknown>>;
  delta: AiopDelta;
  narrative: NarrativeSentence[];
  evidence: Evidence[];
  annex: { files: Array<{ name: string; records: number; sha256: string }> };
  truncated: TruncationMarker[];
  privacy: { samples: boolean; note: string };
  limits: { max_core_bytes: number };
}

/** The files of a package, as text, ready to write (or to compare byte for byte). */
export interface AiopPackage {
  core: AiopCore;
  /** `aiop.json`. */
  json: string;
  /** `run-card.md`. */
  markdown: string;
  /** Annex files by name (`annex/evidence.ndjson`). */
  annex: Map<string, string>;
}
