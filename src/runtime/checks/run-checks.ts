import type { CheckDefinition, CheckResult } from '../../spec/checks.js';
import type { DataPlane } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { EngineSink } from '../engine-types.js';
import { type CheckQueries, duplicatesQuery, offendingCondition } from './check-sql.js';
import { describeAge, formatValue, jsonSafe } from './check-values.js';

/** Offending rows kept with a failed check, and key values named in its message. */
export const CHECK_SAMPLE_ROWS = 5;
const FIRST_OFFENDERS = 3;
/** `{{ this }}` (any spacing) in a sql check. */
const THIS = /\{\{\s*this\s*\}\}/g;

export interface RunChecksOptions {
  dataPlane: DataPlane;
  stepId: string;
  /** The data-plane table the checks read: the step's output (or a writer's input). */
  table: string;
  checks: readonly CheckDefinition[];
  /** Data-plane tables of the steps relationship checks read, by step id. */
  references: ReadonlyMap<string, string>;
  sink: EngineSink;
  /** The run's redaction, applied to offending rows and messages before they leave the step. */
  redact(value: unknown): unknown;
}

/**
 * Runs a step's checks in the data plane, one after another, and reports each as a
 * `check_passed` or `check_failed` event with its metrics. A check whose query cannot run (a
 * column the output lacks) fails with the database's message. Returns every result.
 */
export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const { sink, stepId } = options;
  const results: CheckResult[] = [];
  for (const check of options.checks) {
    const started = performance.now();
    let found: Omit<CheckResult, 'name' | 'type' | 'severity' | 'duration_ms'>;
    try {
      found = await evaluate(check, options);
    } catch (error) {
      found = {
        passed: false,
        observed: `the check could not run: ${error instanceof Error ? error.message : String(error)}`,
        failing_rows: 0,
      };
    }
    const result = options.redact({
      name: check.name,
      type: check.type,
      severity: check.severity,
      ...found,
      duration_ms: Math.round(performance.now() - started),
    }) as CheckResult;
    results.push(result);
    const tags = { check: check.name };
    sink.metric('check_failing_rows', result.failing_rows, 'rows', stepId, tags);
    sink.metric('check_duration_ms', result.duration_ms, 'ms', stepId, tags);
    const { passed: _passed, ...fields } = result;
    const { name, ...rest } = fields;
    sink.event(result.passed ? 'check_passed' : 'check_failed', { step_id: stepId, check: name, ...rest });
  }
  return results;
}

/** The error that fails a step whose `error` checks failed; names the step, each check, what was seen. */
export function checksFailedError(stepId: string, failed: readonly CheckResult[]): OsirisError {
  const lines = failed.map((result) => `${result.name}: ${result.observed}`);
  const message =
    failed.length === 1
      ? `check ${lines[0]} (step '${stepId}')`
      : `${failed.length} checks failed on step '${stepId}': ${lines.join('; ')}`;
  return new OsirisError(ErrorCodes.CHECK_FAILED, message, {
    hint:
      `Nothing that depends on '${stepId}' ran, so no target was written. The offending rows are in the ` +
      "run's report (osiris logs html) and its check_failed events; fix the source, or set `severity: warn` on the check. In an " +
      'emergency `osiris run --skip-checks` runs without checks (recorded in the run).',
    details: { step_id: stepId, checks: failed },
  });
}

type Found = Omit<CheckResult, 'name' | 'type' | 'severity' | 'duration_ms'>;

async function evaluate(check: CheckDefinition, options: RunChecksOptions): Promise<Found> {
  const { dataPlane } = options;
  const q: CheckQueries = {
    id: (name) => dataPlane.quote(name),
    table: dataPlane.quote(options.table),
    referenceTable: (stepId) => {
      const table = options.references.get(stepId);
      if (!table) throw new Error(`the output of step '${stepId}' is not available`);
      return dataPlane.quote(table);
    },
  };
  const rows = (sql: string) => queryRows(dataPlane, sql);
  const sample = async (condition: string) => {
    const { columns, rows } = await sampleRows(
      dataPlane,
      `SELECT * FROM ${q.table} WHERE ${condition} ORDER BY ALL LIMIT ${CHECK_SAMPLE_ROWS}`,
    );
    return { columns, rows };
  };

  switch (check.type) {
    case 'row_count': {
      const count = await dataPlane.count(options.table);
      const problems: string[] = [];
      if (check.min !== undefined && count < check.min) problems.push(`fewer than the minimum ${check.min}`);
      if (check.max !== undefined && count > check.max) problems.push(`more than the maximum ${check.max}`);
      let against = '';
      if (check.within_percent !== undefined) {
        const baseline = check.baseline_rows;
        if (baseline === undefined) against = ' (no earlier successful run to compare with)';
        else {
          const change =
            baseline === 0
              ? count === 0
                ? 0
                : Number.POSITIVE_INFINITY
              : ((count - baseline) / baseline) * 100;
          against = `, ${change >= 0 ? '+' : ''}${Number.isFinite(change) ? change.toFixed(1) : '∞'}% against the last successful run's ${baseline}`;
          if (Math.abs(change) > check.within_percent)
            problems.push(`more than ${check.within_percent}% away from the last successful run`);
        }
      }
      return {
        passed: problems.length === 0,
        observed: `${count} rows${against}${problems.length > 0 ? `: ${problems.join(' and ')}` : ''}`,
        failing_rows: 0,
      };
    }
    case 'not_null': {
      const counts = await rows(
        `SELECT ${check.columns.map((column) => `count(*) FILTER (WHERE ${q.id(column)} IS NULL)`).join(', ')}, count(*) FILTER (WHERE ${offendingCondition(check, q)}) FROM ${q.table}`,
      );
      const values = (counts[0] ?? []).map(Number);
      const failing = values.at(-1) ?? 0;
      const parts = check.columns.flatMap((column, index) =>
        (values[index] ?? 0) > 0
          ? [`${values[index]} NULL${values[index] === 1 ? '' : 's'} in ${column}`]
          : [],
      );
      return failing === 0
        ? { passed: true, observed: `no NULLs in ${check.columns.join(', ')}`, failing_rows: 0 }
        : {
            passed: false,
            observed: parts.join(', '),
            failing_rows: failing,
            sample: await sample(offendingCondition(check, q)!),
          };
    }
    case 'unique': {
      const parts: string[] = [];
      let failing = 0;
      let firstSet: string[] | undefined;
      for (const set of check.column_sets) {
        const duplicates = duplicatesQuery(set, q);
        const [summary] = await rows(`SELECT count(*), coalesce(sum(occurrences), 0) FROM (${duplicates})`);
        const keys = Number(summary?.[0] ?? 0);
        if (keys === 0) continue;
        failing += Number(summary?.[1] ?? 0);
        firstSet ??= set;
        const list = set.map(q.id).join(', ');
        const first = await shownRows(
          dataPlane,
          `SELECT ${list} FROM (${duplicates}) ORDER BY ${list} LIMIT ${FIRST_OFFENDERS}`,
        );
        const label = set.length === 1 ? set[0] : `(${set.join(', ')})`;
        const shown = first.map((row) => (row.length === 1 ? row[0] : `(${row.join(', ')})`));
        parts.push(`${keys} duplicate ${label} value${keys === 1 ? '' : 's'}; first: ${shown.join(', ')}`);
      }
      if (!firstSet) {
        return {
          passed: true,
          observed: `no duplicates in ${check.column_sets.map((set) => set.join('+')).join(', ')}`,
          failing_rows: 0,
        };
      }
      const list = firstSet.map(q.id).join(', ');
      const keys = `SELECT ${list} FROM (${duplicatesQuery(firstSet, q)}) ORDER BY ${list} LIMIT ${FIRST_OFFENDERS}`;
      const join = firstSet
        .map((column) => `${q.table}.${q.id(column)} = offending.${q.id(column)}`)
        .join(' AND ');
      return {
        passed: false,
        observed: parts.join('; '),
        failing_rows: failing,
        sample: await sample(`EXISTS (SELECT 1 FROM (${keys}) AS offending WHERE ${join})`),
      };
    }
    case 'accepted_values':
    case 'range':
    case 'relationship': {
      const condition = offendingCondition(check, q)!;
      const column = q.id(check.column);
      const [summary] = await rows(
        `SELECT count(*), count(DISTINCT ${column}) FROM ${q.table} WHERE ${condition}`,
      );
      const failing = Number(summary?.[0] ?? 0);
      const what = describeRule(check);
      if (failing === 0) return { passed: true, observed: `every ${check.column} ${what}`, failing_rows: 0 };
      const first = await shownRows(
        dataPlane,
        `SELECT DISTINCT ${column} FROM ${q.table} WHERE ${condition} ORDER BY ${column} LIMIT ${FIRST_OFFENDERS}`,
      );
      const distinct = Number(summary?.[1] ?? 0);
      return {
        passed: false,
        observed: `${failing} row${failing === 1 ? '' : 's'} (${distinct} value${distinct === 1 ? '' : 's'}) where ${check.column} is not ${what.replace(/^is /, '')}; first: ${first.map((row) => row[0]).join(', ')}`,
        failing_rows: failing,
        sample: await sample(condition),
      };
    }
    case 'freshness': {
      const column = q.id(check.column);
      const [summary] = await rows(
        `SELECT CAST(max(${column}) AS VARCHAR), date_diff('second', CAST(max(${column}) AS TIMESTAMPTZ), now()) FROM ${q.table}`,
      );
      const newest = summary?.[0];
      if (newest === null || newest === undefined)
        return {
          passed: false,
          observed: `no ${check.column} values to tell the data's age`,
          failing_rows: 0,
        };
      const age = Number(summary?.[1] ?? 0);
      const passed = age <= check.max_age_seconds;
      return {
        passed,
        observed: `newest ${check.column} is ${String(newest)}, ${describeAge(age)} old (max ${check.max_age})`,
        failing_rows: 0,
      };
    }
    case 'sql': {
      const sql = check.sql.replace(THIS, q.table);
      const result = await sampleRows(dataPlane, sql, true);
      const only =
        result.rows.length === 1 && result.columns.length === 1
          ? result.rows[0]![result.columns[0]!]
          : undefined;
      if (typeof only === 'boolean') {
        return { passed: only, observed: `the query returned ${only}`, failing_rows: 0 };
      }
      const count = result.total;
      return count === 0
        ? { passed: true, observed: 'the query returned no rows', failing_rows: 0 }
        : {
            passed: false,
            observed: `the query returned ${count} offending row${count === 1 ? '' : 's'}`,
            failing_rows: count,
            sample: { columns: result.columns, rows: result.rows.slice(0, CHECK_SAMPLE_ROWS) },
          };
    }
  }
}

function describeRule(check: CheckDefinition): string {
  switch (check.type) {
    case 'accepted_values':
      return `is one of ${check.values.map((value) => formatValue(value)).join(', ')}`;
    case 'range':
      return `is within ${check.min === undefined ? '(-∞' : `[${check.min}`}, ${check.max === undefined ? '∞)' : `${check.max}]`}`;
    case 'relationship':
      return `is in ${check.to_step}.${check.to_column}`;
    default:
      return '';
  }
}

async function queryRows(dataPlane: DataPlane, sql: string): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const chunk of dataPlane.readChunks(sql, 1000)) {
    out.push(...chunk.rows);
  }
  return out;
}

/** Rows of a query shown for a message: text quoted, numbers (DECIMAL arrives as text) and dates not. */
async function shownRows(dataPlane: DataPlane, sql: string): Promise<string[][]> {
  const out: string[][] = [];
  for await (const chunk of dataPlane.readChunks(sql, 1000)) {
    const quoted = chunk.columns.map((column) => /^(VARCHAR|TEXT|STRING)/i.test(column.type));
    for (const row of chunk.rows) {
      out.push(
        row.map((value, index) => (quoted[index] || typeof value !== 'string' ? formatValue(value) : value)),
      );
    }
  }
  return out;
}

/** Rows as objects keyed by column (so secret-named columns are masked), JSON-safe values. */
async function sampleRows(
  dataPlane: DataPlane,
  sql: string,
  countAll = false,
): Promise<{ columns: string[]; rows: Array<Record<string, unknown>>; total: number }> {
  const rows: Array<Record<string, unknown>> = [];
  let columns: string[] = [];
  let total = 0;
  for await (const chunk of dataPlane.readChunks(sql, 1000)) {
    columns = chunk.columns.map((column) => column.name);
    for (const row of chunk.rows) {
      total += 1;
      if (rows.length < CHECK_SAMPLE_ROWS)
        rows.push(Object.fromEntries(columns.map((name, index) => [name, jsonSafe(row[index])])));
    }
    if (!countAll && rows.length >= CHECK_SAMPLE_ROWS) break;
  }
  return { columns, rows, total };
}
