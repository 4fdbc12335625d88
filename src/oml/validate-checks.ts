import {
  type CheckDefinition,
  type CheckLiteral,
  type CheckRule,
  CheckSeverities,
  type CheckSeverity,
  CheckTypes,
} from '../spec/checks.js';
import { closestNames } from '../util/suggest.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { describeType, isRecord, quoteList } from './values.js';

type Path = Array<string | number>;

/** What the check validator knows about the pipeline around one step. */
export interface CheckContext {
  stepId: string;
  /** Every step id of the pipeline. */
  stepIds: readonly string[];
  /** Steps that (transitively) depend on this one: a relationship to one of them is a cycle. */
  downstream: ReadonlySet<string>;
  /** Columns of a step's output when they are known (a `table` extractor with a discovery cache). */
  columnsOf(stepId: string): readonly string[] | undefined;
}

const ITEM_KEYS = ['name', 'severity'];
const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/;
const DURATION_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
/** `{{ this }}` in a sql check: the step's output table. */
export const THIS_PLACEHOLDER = /\{\{\s*this\s*\}\}/g;

/**
 * `checks:` of one step: a list of mappings, each with exactly one check type key and optional
 * `name` and `severity`. Returns the normalised checks (names filled in), or undefined when any
 * is wrong (every problem is reported, located at the offending node).
 */
export function validateChecks(
  raw: unknown,
  base: Path,
  context: CheckContext,
  collector: DiagnosticCollector,
): CheckDefinition[] | undefined {
  if (!Array.isArray(raw)) {
    collector.error(OmlCodes.CHECKS_INVALID, base, `\`checks\` must be a list, got ${describeType(raw)}`, {
      hint: 'e.g. checks: [{ unique: [id] }, { not_null: [id] }, { row_count: { min: 1 } }]',
    });
    return undefined;
  }
  const before = collector.diagnostics.length;
  const checks: CheckDefinition[] = [];
  const names = new Map<string, number>();
  raw.forEach((item, index) => {
    const path = [...base, index];
    const check = validateCheck(item, path, context, collector);
    if (!check) return;
    const first = names.get(check.name);
    if (first !== undefined) {
      collector.error(
        OmlCodes.CHECK_NAME_DUPLICATE,
        path,
        `check \`${check.name}\` of step \`${context.stepId}\` is already defined by check ${first + 1}`,
        { hint: 'give one of them its own `name:` (check names are unique within a step)' },
      );
      return;
    }
    names.set(check.name, index);
    checks.push(check);
  });
  return collector.diagnostics.length > before ? undefined : checks;
}

function validateCheck(
  item: unknown,
  path: Path,
  context: CheckContext,
  collector: DiagnosticCollector,
): CheckDefinition | undefined {
  if (!isRecord(item)) {
    collector.error(OmlCodes.CHECKS_INVALID, path, `a check must be a mapping, got ${describeType(item)}`, {
      hint: 'write one check type per entry, e.g. `- unique: [id]`',
    });
    return undefined;
  }
  const typeKeys = Object.keys(item).filter((key) => !ITEM_KEYS.includes(key));
  const known = typeKeys.filter((key) => (CheckTypes as readonly string[]).includes(key));
  for (const key of typeKeys.filter((key) => !known.includes(key))) {
    const suggestion = closestNames(key, [...CheckTypes, ...ITEM_KEYS], 1)[0];
    collector.error(OmlCodes.CHECK_TYPE_UNKNOWN, [...path, key], `unknown check type \`${key}\``, {
      at: 'key',
      hint: `${suggestion ? `did you mean \`${suggestion}\`? ` : ''}check types: ${quoteList(CheckTypes)}; each check may also have \`name\` and \`severity\``,
    });
  }
  if (known.length !== 1) {
    if (typeKeys.length === known.length) {
      collector.error(
        OmlCodes.CHECKS_INVALID,
        path,
        known.length === 0
          ? 'a check needs a check type'
          : `a check has one type, got ${quoteList(known)}: write them as separate entries`,
        { hint: `check types: ${quoteList(CheckTypes)}` },
      );
    }
    return undefined;
  }
  const type = known[0]!;
  const severity = validateSeverity(item.severity, [...path, 'severity'], collector);
  const rule = validateRule(type, item[type], [...path, type], context, collector);
  let name: string | undefined;
  if ('name' in item) {
    if (typeof item.name !== 'string' || item.name.trim() === '') {
      collector.error(
        OmlCodes.CHECK_ARGUMENT_INVALID,
        [...path, 'name'],
        '`name` must be a non-empty string',
        {
          hint: 'e.g. `name: shipped-after-created`',
        },
      );
      return undefined;
    }
    name = item.name.trim();
  }
  if (!rule || !severity) return undefined;
  return { ...rule, name: name ?? defaultCheckName(rule), severity };
}

function validateSeverity(
  value: unknown,
  path: Path,
  collector: DiagnosticCollector,
): CheckSeverity | undefined {
  if (value === undefined) return 'error';
  if (typeof value === 'string' && (CheckSeverities as readonly string[]).includes(value))
    return value as CheckSeverity;
  collector.error(
    OmlCodes.CHECK_ARGUMENT_INVALID,
    path,
    `\`severity\` must be error or warn, got ${typeof value === 'string' ? `"${value}"` : describeType(value)}`,
    { hint: '`error` (the default) stops what depends on the step; `warn` only reports' },
  );
  return undefined;
}

function validateRule(
  type: string,
  value: unknown,
  path: Path,
  context: CheckContext,
  collector: DiagnosticCollector,
): CheckRule | undefined {
  const invalid = (message: string, hint: string, at: Path = path): undefined => {
    collector.error(OmlCodes.CHECK_ARGUMENT_INVALID, at, message, { hint });
    return undefined;
  };
  const column = (argument: unknown, at: Path, hint: string): string | undefined => {
    if (typeof argument !== 'string' || argument === '')
      return invalid(`\`${type}\` needs a column name, got ${describeType(argument)}`, hint, at);
    return knownColumn(argument, context.stepId, at, context, collector) ? argument : undefined;
  };
  const mapping = (hint: string, keys: readonly string[]): Record<string, unknown> | undefined => {
    if (!isRecord(value)) return invalid(`\`${type}\` takes a mapping, got ${describeType(value)}`, hint);
    for (const key of Object.keys(value)) {
      if (keys.includes(key)) continue;
      const suggestion = closestNames(key, keys, 1)[0];
      collector.error(
        OmlCodes.CHECK_ARGUMENT_INVALID,
        [...path, key],
        `\`${type}\` has no option \`${key}\``,
        {
          at: 'key',
          hint: `${suggestion ? `did you mean \`${suggestion}\`? ` : ''}options: ${quoteList(keys)}`,
        },
      );
      return undefined;
    }
    return value;
  };

  switch (type) {
    case 'row_count': {
      const hint =
        'e.g. `row_count: { min: 1 }`, `{ max: 1000000 }` or `{ within_percent: 20 }` (of the last successful run)';
      const args = mapping(hint, ['min', 'max', 'within_percent']);
      if (!args) return undefined;
      const rule: CheckRule = { type: 'row_count' };
      for (const key of ['min', 'max', 'within_percent'] as const) {
        if (!(key in args)) continue;
        const bound = args[key];
        if (typeof bound !== 'number' || !Number.isFinite(bound) || bound < 0)
          return invalid(`\`row_count.${key}\` must be a number ≥ 0, got ${describeType(bound)}`, hint, [
            ...path,
            key,
          ]);
        rule[key] = bound;
      }
      if (rule.min === undefined && rule.max === undefined && rule.within_percent === undefined)
        return invalid('`row_count` needs `min`, `max` or `within_percent`', hint);
      if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
        return invalid(`\`row_count.min\` ${rule.min} is above \`max\` ${rule.max}`, 'swap the bounds', [
          ...path,
          'min',
        ]);
      return rule;
    }
    case 'not_null': {
      const hint = 'e.g. `not_null: [id, customer_id]`';
      const columns = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(columns) || columns.length === 0)
        return invalid(`\`not_null\` takes a column or a list of columns, got ${describeType(value)}`, hint);
      const checked = columns.map((c, i) => column(c, typeof value === 'string' ? path : [...path, i], hint));
      return checked.every((c) => c !== undefined)
        ? { type: 'not_null', columns: checked as string[] }
        : undefined;
    }
    case 'unique': {
      const hint =
        'e.g. `unique: [id]` (each column unique) or `unique: [[order_id, line_no]]` (a column set)';
      const entries = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(entries) || entries.length === 0)
        return invalid(
          `\`unique\` takes a column or a list of columns and column sets, got ${describeType(value)}`,
          hint,
        );
      const sets: string[][] = [];
      let ok = true;
      entries.forEach((entry, index) => {
        const at = typeof value === 'string' ? path : [...path, index];
        const members = Array.isArray(entry) ? entry : [entry];
        if (members.length === 0) {
          ok = false;
          invalid('a column set is empty', hint, at);
          return;
        }
        const checked = members.map((m, i) => column(m, Array.isArray(entry) ? [...at, i] : at, hint));
        if (checked.some((c) => c === undefined)) ok = false;
        else sets.push(checked as string[]);
      });
      return ok ? { type: 'unique', column_sets: sets } : undefined;
    }
    case 'accepted_values': {
      const hint = 'e.g. `accepted_values: { column: status, values: [new, paid, shipped] }`';
      const args = mapping(hint, ['column', 'values']);
      if (!args) return undefined;
      const name = column(args.column, [...path, 'column'], hint);
      const values = args.values;
      if (!Array.isArray(values) || values.length === 0 || !values.every(isLiteral))
        return invalid('`accepted_values.values` must be a non-empty list of values', hint, [
          ...path,
          'values',
        ]);
      return name === undefined
        ? undefined
        : { type: 'accepted_values', column: name, values: values as CheckLiteral[] };
    }
    case 'range': {
      const hint = 'e.g. `range: { column: amount, min: 0 }` (bounds are inclusive; numbers or dates)';
      const args = mapping(hint, ['column', 'min', 'max']);
      if (!args) return undefined;
      const name = column(args.column, [...path, 'column'], hint);
      const rule: CheckRule = { type: 'range', column: name ?? '' };
      for (const key of ['min', 'max'] as const) {
        if (!(key in args)) continue;
        const bound = args[key];
        if (!(typeof bound === 'number' && Number.isFinite(bound)) && typeof bound !== 'string')
          return invalid(`\`range.${key}\` must be a number or a date, got ${describeType(bound)}`, hint, [
            ...path,
            key,
          ]);
        rule[key] = bound;
      }
      if (rule.min === undefined && rule.max === undefined)
        return invalid('`range` needs `min` or `max`', hint);
      return name === undefined ? undefined : rule;
    }
    case 'freshness': {
      const hint = 'e.g. `freshness: { column: updated_at, max_age: 2d }` (units s, m, h, d, w)';
      const args = mapping(hint, ['column', 'max_age']);
      if (!args) return undefined;
      const name = column(args.column, [...path, 'column'], hint);
      const age = typeof args.max_age === 'string' ? DURATION.exec(args.max_age.trim()) : null;
      if (!age)
        return invalid(
          `\`freshness.max_age\` must be a duration such as 2d or 12h, got ${describeType(args.max_age)}`,
          hint,
          [...path, 'max_age'],
        );
      const seconds = Number(age[1]) * DURATION_SECONDS[age[2]!]!;
      return name === undefined
        ? undefined
        : { type: 'freshness', column: name, max_age: String(args.max_age).trim(), max_age_seconds: seconds };
    }
    case 'relationship': {
      const hint =
        'e.g. `relationship: { column: customer_id, to: customers.id }` (another step id, then its column)';
      const args = mapping(hint, ['column', 'to']);
      if (!args) return undefined;
      const name = column(args.column, [...path, 'column'], hint);
      const to = typeof args.to === 'string' ? args.to : '';
      const dot = to.indexOf('.');
      if (dot <= 0 || dot === to.length - 1)
        return invalid(
          `\`relationship.to\` must be \`<step id>.<column>\`, got ${describeType(args.to)}`,
          hint,
          [...path, 'to'],
        );
      const toStep = to.slice(0, dot);
      const toColumn = to.slice(dot + 1);
      if (!relationshipTarget(toStep, [...path, 'to'], context, collector)) return undefined;
      if (!knownColumn(toColumn, toStep, [...path, 'to'], context, collector)) return undefined;
      return name === undefined
        ? undefined
        : { type: 'relationship', column: name, to_step: toStep, to_column: toColumn };
    }
    case 'sql': {
      const hint =
        'e.g. `sql: "SELECT count(*) = 0 FROM {{ this }} WHERE shipped_at < created_at"` with a `name:`';
      if (typeof value !== 'string' || value.trim() === '')
        return invalid(`\`sql\` takes a query, got ${describeType(value)}`, hint);
      if (!new RegExp(THIS_PLACEHOLDER.source).test(value))
        return invalid('a `sql` check must read the step output as `{{ this }}`', hint);
      return { type: 'sql', sql: value };
    }
  }
  return undefined;
}

function relationshipTarget(
  toStep: string,
  path: Path,
  context: CheckContext,
  collector: DiagnosticCollector,
): boolean {
  if (toStep === context.stepId) {
    collector.error(
      OmlCodes.CHECK_REFERENCE_INVALID,
      path,
      `a relationship of step \`${toStep}\` refers to itself`,
      {
        hint: 'use `unique` for keys within one step; `to` names another step',
      },
    );
    return false;
  }
  if (!context.stepIds.includes(toStep)) {
    const suggestions = closestNames(toStep, context.stepIds, 2);
    collector.error(OmlCodes.CHECK_REFERENCE_INVALID, path, `relationship to unknown step \`${toStep}\``, {
      hint:
        suggestions.length > 0
          ? `did you mean ${quoteList(suggestions)}?`
          : `steps: ${quoteList(context.stepIds)}`,
    });
    return false;
  }
  if (context.downstream.has(toStep)) {
    collector.error(
      OmlCodes.CHECK_REFERENCE_INVALID,
      path,
      `step \`${toStep}\` depends on \`${context.stepId}\`: a relationship to it would wait for itself`,
      { hint: 'put the relationship check on the step that runs later, pointing back at this one' },
    );
    return false;
  }
  return true;
}

function knownColumn(
  column: string,
  stepId: string,
  path: Path,
  context: CheckContext,
  collector: DiagnosticCollector,
): boolean {
  const columns = context.columnsOf(stepId);
  if (!columns || columns.includes(column)) return true;
  const suggestions = closestNames(column, columns, 2);
  collector.error(
    OmlCodes.CHECK_COLUMN_UNKNOWN,
    path,
    `column \`${column}\` is not in the discovered schema of step \`${stepId}\``,
    {
      hint: `${suggestions.length > 0 ? `did you mean ${quoteList(suggestions)}? ` : ''}columns: ${quoteList(columns)} (from the discovery cache; \`osiris discover --refresh\` rereads it)`,
    },
  );
  return false;
}

function isLiteral(value: unknown): value is CheckLiteral {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** `unique(id)`, `not_null(id, customer_id)`, `relationship(customer_id → customers.id)`, ... */
export function defaultCheckName(rule: CheckRule): string {
  switch (rule.type) {
    case 'row_count':
    case 'sql':
      return rule.type;
    case 'not_null':
      return `not_null(${rule.columns.join(', ')})`;
    case 'unique':
      return `unique(${rule.column_sets.map((set) => (set.length === 1 ? set[0] : `[${set.join(', ')}]`)).join(', ')})`;
    case 'accepted_values':
    case 'range':
    case 'freshness':
      return `${rule.type}(${rule.column})`;
    case 'relationship':
      return `relationship(${rule.column} → ${rule.to_step}.${rule.to_column})`;
  }
}
