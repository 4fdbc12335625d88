/**
 * Data checks (issue 15, write–audit–publish): assertions about a step's output that run in the
 * data plane before any step that depends on it starts. An `error` check that fails fails its
 * step, so nothing downstream (no writer) runs; a `warn` check is reported and the run goes on.
 */
export const CheckTypes = [
  'row_count',
  'not_null',
  'unique',
  'accepted_values',
  'range',
  'freshness',
  'relationship',
  'sql',
] as const;
export type CheckType = (typeof CheckTypes)[number];

export const CheckSeverities = ['error', 'warn'] as const;
export type CheckSeverity = (typeof CheckSeverities)[number];

/** A literal bound or accepted value as written in OML. */
export type CheckLiteral = string | number | boolean;

export type CheckRule =
  | {
      type: 'row_count';
      min?: number;
      max?: number;
      /** The count may differ from the last successful run's by at most this many percent. */
      within_percent?: number;
      /** Filled by the runner from the run index (never part of the manifest on disk). */
      baseline_rows?: number;
    }
  | { type: 'not_null'; columns: string[] }
  /** Each set must be unique over the rows whose columns are all non-null. */
  | { type: 'unique'; column_sets: string[][] }
  | { type: 'accepted_values'; column: string; values: CheckLiteral[] }
  | { type: 'range'; column: string; min?: number | string; max?: number | string }
  | { type: 'freshness'; column: string; max_age: string; max_age_seconds: number }
  /** Every non-null `column` value must appear in `to_column` of step `to_step`'s output. */
  | { type: 'relationship'; column: string; to_step: string; to_column: string }
  /** A query over `{{ this }}`: one boolean (true passes), or the offending rows (none passes). */
  | { type: 'sql'; sql: string };

/** One check as the manifest holds it: a rule with its (unique per step) name and severity. */
export type CheckDefinition = CheckRule & { name: string; severity: CheckSeverity };

/** What running one check found; what the events, the report and the error message show. */
export interface CheckResult {
  name: string;
  type: CheckType;
  severity: CheckSeverity;
  passed: boolean;
  /** The observed value in words: "3 duplicate id values; first: 1042, 1043, 1044". */
  observed: string;
  /** Rows (or key values) that break the check; 0 when it passed or has no row notion. */
  failing_rows: number;
  /** A few offending rows, redacted. */
  sample?: { columns: string[]; rows: Array<Record<string, unknown>> };
  duration_ms: number;
}

/** Step ids whose outputs a step's checks read (relationship targets), in first-use order. */
export function checkReferences(checks: readonly CheckDefinition[] | undefined): string[] {
  const out: string[] = [];
  for (const check of checks ?? []) {
    if (check.type === 'relationship' && !out.includes(check.to_step)) out.push(check.to_step);
  }
  return out;
}

/** What a step waits for: its `needs`, then the steps its checks read. */
export function stepDependencies(step: { needs: readonly string[]; checks?: CheckDefinition[] }): string[] {
  return [...new Set([...step.needs, ...checkReferences(step.checks)])];
}
