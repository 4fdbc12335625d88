/**
 * Incremental extraction: an extractor reads only rows whose cursor column is at or after the last
 * value a successful run stored. The host keeps that state; drivers only see the window to read.
 */

/** `config.incremental` of an extractor, as OML writes it. */
export interface IncrementalConfig {
  /** A column of the result: timestamp, date or integer. */
  cursor: string;
  /** First run starts here (else: everything). */
  initial_value?: string | number;
  /** Re-read this much before the last value: seconds for time cursors, units for integers. */
  lag?: number;
  /** Upper bound (exclusive), e.g. a backfill; such a run does not move the state. */
  end_value?: string | number;
}

/** How a cursor value orders: integers numerically, the rest as ISO text in UTC. */
export type CursorKind = 'integer' | 'date' | 'timestamp' | 'timestamptz' | 'text';

/** A cursor value as stored and passed between host and worker: text, so bigints stay exact. */
export interface CursorValue {
  value: string;
  kind: CursorKind;
}

/**
 * The rows an incremental extractor reads in this run: `cursor >= from` (when set) and
 * `cursor < to` (when set). Values are bound as parameters by the driver, never spliced into SQL.
 */
export interface IncrementalWindow {
  cursor: string;
  from?: string;
  to?: string;
  /** Kind of `from`/`to` when known (from the stored state); drivers bind integers as numbers. */
  kind?: CursorKind;
}

/** `config.incremental` when it is a mapping with a cursor; undefined otherwise. */
export function incrementalConfigOf(config: Record<string, unknown>): IncrementalConfig | undefined {
  const value = config.incremental;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const cursor = (value as Record<string, unknown>).cursor;
  if (typeof cursor !== 'string' || cursor === '') return undefined;
  return value as IncrementalConfig;
}
