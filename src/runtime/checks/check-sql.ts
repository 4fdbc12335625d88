import type { CheckDefinition, CheckLiteral } from '../../spec/checks.js';

/** How a check asks the data plane: queries over the checked table and what they mean. */
export interface CheckQueries {
  /** Quote an identifier. */
  id(name: string): string;
  /** The checked table, quoted. */
  table: string;
  /** Tables of steps a relationship reads, quoted, by step id. */
  referenceTable(stepId: string): string;
}

/** A literal for DuckDB SQL: numbers and booleans as they are, text quoted. */
export function sqlLiteral(value: CheckLiteral): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}

/** `WHERE` condition selecting the rows that break a row-level check (not for row_count, freshness, sql). */
export function offendingCondition(check: CheckDefinition, q: CheckQueries): string | undefined {
  switch (check.type) {
    case 'not_null':
      return check.columns.map((column) => `${q.id(column)} IS NULL`).join(' OR ');
    case 'accepted_values':
      return `${q.id(check.column)} IS NOT NULL AND CAST(${q.id(check.column)} AS VARCHAR) NOT IN (${check.values
        .map((value) => sqlLiteral(String(value)))
        .join(', ')})`;
    case 'range': {
      const parts: string[] = [];
      if (check.min !== undefined) parts.push(`${q.id(check.column)} < ${sqlLiteral(check.min)}`);
      if (check.max !== undefined) parts.push(`${q.id(check.column)} > ${sqlLiteral(check.max)}`);
      return parts.join(' OR ');
    }
    case 'relationship':
      return `${q.id(check.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${q.referenceTable(check.to_step)} AS parent WHERE parent.${q.id(
        check.to_column,
      )} = ${q.table}.${q.id(check.column)})`;
    default:
      return undefined;
  }
}

/** Key values that occur more than once (rows with a NULL in the set are not keys). */
export function duplicatesQuery(columns: readonly string[], q: CheckQueries): string {
  const list = columns.map(q.id).join(', ');
  const present = columns.map((column) => `${q.id(column)} IS NOT NULL`).join(' AND ');
  return `SELECT ${list}, count(*) AS occurrences FROM ${q.table} WHERE ${present} GROUP BY ${list} HAVING count(*) > 1`;
}
