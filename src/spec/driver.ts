import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedConnection } from './connection.js';
import type { EventName, MetricName } from './events.js';
import type { IncrementalWindow } from './incremental.js';

/** Column of a data-plane table, as DuckDB names its type (e.g. `BIGINT`, `DECIMAL(10,2)`). */
export interface ColumnInfo {
  name: string;
  type: string;
  nullable?: boolean;
}

/**
 * The run's DuckDB database. Extractors stream rows into a table named after their step;
 * processors read `df_<step>` views; writers read their input in chunks. Nothing here
 * materialises a whole table in JS memory.
 */
export interface DataPlane {
  /**
   * The run's own folder (the database file lives here). SQL in a step may touch files only in
   * the project and here, so drivers put scratch files such as named pipes in it.
   */
  readonly directory: string;
  /**
   * The longest row, in bytes of CSV text, an extractor may stream into DuckDB (`max_row_size`
   * under `data_plane:` in osiris.yaml, or OSIRIS_MAX_ROW_SIZE; 4 MiB by default).
   */
  readonly maxRowBytes: number;
  /**
   * A new connection to the run database, owned (and closed) by the caller. Steps that create
   * temporary views or run interruptible statements use their own so concurrent steps never
   * cut each other's streams short.
   */
  connect(): Promise<DuckDBConnection>;
  /** Table that holds a step's output (`df_<sanitised id>`). */
  tableFor(stepId: string): string;
  /** Quote an identifier for DuckDB SQL. */
  quote(identifier: string): string;
  run(sql: string): Promise<void>;
  /** Row count of a table. */
  count(table: string): Promise<number>;
  columns(table: string): Promise<ColumnInfo[]>;
  /**
   * Create `table` with `columns` and append rows arriving in batches (arrays of row arrays,
   * values already converted to JS types DuckDB understands). Returns the number of rows.
   */
  appendRows(
    table: string,
    columns: ColumnInfo[],
    batches: AsyncIterable<unknown[][]>,
    onProgress?: (rows: number) => void,
  ): Promise<number>;
  /** Read a table or query in chunks of row arrays with JS values (bigint kept exact). */
  readChunks(sql: string, chunkRows?: number): AsyncIterable<{ columns: ColumnInfo[]; rows: unknown[][] }>;
}

export interface StepLogger {
  /** Emit a structured event, named from the catalogue (`EventNames`). Fields pass redaction. */
  event(name: EventName, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface StepContext {
  runId: string;
  stepId: string;
  /** Project folder: relative paths in config resolve against it and may not escape it. */
  projectDir: string;
  /** `artifacts/<step_id>/` of the run session; created on first use. */
  artifactsDir: string;
  signal: AbortSignal;
  log: StepLogger;
  metric(name: MetricName, value: number, options?: { unit?: string; tags?: Record<string, string> }): void;
  /**
   * Report rows moved so far, for live progress. A source that can tell how many rows to expect
   * (a row count estimate) passes `totalRows`, and the terminal shows percent and time left.
   */
  progress(rows: number, estimate?: { totalRows?: number }): void;
  /** Register a file the step produced (written to events as artifact_created). */
  artifact(path: string, bytes: number): void;
  dataPlane: DataPlane;
  /** Resolved connection for `config.connection`, secrets in memory only. */
  connection?: ResolvedConnection;
  /**
   * For an extractor with `config.incremental`: the window of cursor values to read in this run,
   * chosen by the host from the stored state. The driver pushes it into its source query.
   */
  incremental?: IncrementalWindow;
  /**
   * Set when the pipeline says `on_failure: rollback_all`. A writer awaits `ready()` right before
   * it commits (COMMIT, the rename of its finished file): it resolves once every writer of the run
   * is ready, and throws when another step failed, so the writer rolls back instead.
   */
  commitTogether?: { ready(): Promise<void> };
  /**
   * Set when the plan streams this step's output into its one consumer (`plan.streams`). A driver
   * that can stream creates its output as a view over its live rows (a `read_csv` of a named
   * pipe) under its usual table name, calls `published()`, and feeds the pipe while the consumer's
   * statement reads it. A driver that cannot (or chooses not to) ignores it and loads its table
   * as usual: the consumer then starts once the step has finished.
   */
  outputStream?: OutputStream;
}

/** The producer's end of a streamed edge (StepContext.outputStream). */
export interface OutputStream {
  /** The id of the step that reads the stream, for messages. */
  readonly consumer: string;
  /** The output exists under its table name: the consumer may start reading it. */
  published(): void;
  /**
   * Settles when the consumer's reading statement has ended: `{}` when it read to the end, its
   * `error` when it failed (the producer then stops sending). Never rejects.
   */
  readonly readerDone: Promise<{ error?: unknown }>;
}

export interface StepInput {
  stepId: string;
  /** Data-plane table holding that step's output. */
  table: string;
}

export interface DriverRunInput {
  stepId: string;
  config: Record<string, unknown>;
  /** Upstream steps (from `needs`) in declaration order. */
  inputs: StepInput[];
  ctx: StepContext;
}

export interface DriverResult {
  /** Data-plane table holding this step's output, for steps that produce data. */
  table?: string;
  rows: number;
}

/** The whole driver contract. The runner owns timing, metrics, abort and cleanup around it. */
export interface Driver {
  run(input: DriverRunInput): Promise<DriverResult>;
}
