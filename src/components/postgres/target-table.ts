import type pg from 'pg';
import type { ColumnInfo } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { type ListTarget, parseDuckdbType, postgresTypeFor } from './duckdb-to-postgres-type.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export interface TargetColumn {
  name: string;
  /** `format_type` text, e.g. `numeric(10,2)`. */
  type: string;
  listTarget: ListTarget;
}

/** An input column and the target column it lands in. */
export interface ColumnPair {
  input: ColumnInfo;
  target: TargetColumn;
}

/** The target's columns, or undefined when the table does not exist. Domains count as their base type. */
export async function describeTargetTable(
  client: pg.Client,
  schema: string,
  table: string,
): Promise<TargetColumn[] | undefined> {
  const relation = await client.query<{ kind: string | null }>(
    `SELECT (SELECT relkind::text FROM pg_class WHERE oid = to_regclass(format('%I.%I', $1::text, $2::text))) AS kind`,
    [schema, table],
  );
  const kind = relation.rows[0]?.kind;
  if (!kind) return undefined;
  const columns = await client.query<{ name: string; type: string; base_name: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            CASE WHEN t.typtype = 'd' THEN base.typname ELSE t.typname END AS base_name
     FROM pg_attribute a
     JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_type base ON base.oid = t.typbasetype
     WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [schema, table],
  );
  return columns.rows.map((row) => ({
    name: row.name,
    type: row.type,
    listTarget: row.base_name === 'json' || row.base_name === 'jsonb' ? 'json' : 'array',
  }));
}

/** `CREATE TABLE` from the input's DuckDB types (mapping documented in README.md), with the primary key. */
export function createTableSql(
  schema: string,
  table: string,
  columns: readonly ColumnInfo[],
  primaryKey: readonly string[],
): string {
  const definitions = columns.map(
    (column) => `${quoteIdentifier(column.name)} ${postgresTypeFor(parseDuckdbType(column.type))}`,
  );
  if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(quoteIdentifier).join(', ')})`);
  return `CREATE TABLE ${qualifiedName(schema, table)} (${definitions.join(', ')})`;
}

export function createdColumns(columns: readonly ColumnInfo[]): TargetColumn[] {
  return columns.map((column) => ({
    name: column.name,
    type: postgresTypeFor(parseDuckdbType(column.type)),
    listTarget: postgresTypeFor(parseDuckdbType(column.type)) === 'jsonb' ? 'json' : 'array',
  }));
}

/**
 * Pair each input column with a target column: the same name, or failing that the one
 * target column whose name differs only in case (DuckDB names ignore case, PostgreSQL's do not).
 * Target columns without input keep their defaults.
 */
export function pairColumns(
  ref: string,
  target: string,
  input: readonly ColumnInfo[],
  columns: readonly TargetColumn[],
): ColumnPair[] {
  const missing: string[] = [];
  const pairs: ColumnPair[] = [];
  for (const column of input) {
    const exact = columns.find((candidate) => candidate.name === column.name);
    const folded = columns.filter((candidate) => candidate.name.toLowerCase() === column.name.toLowerCase());
    const match = exact ?? (folded.length === 1 ? folded[0] : undefined);
    if (match) pairs.push({ input: column, target: match });
    else missing.push(column.name);
  }
  if (missing.length > 0) {
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `${ref}: table ${target} has no column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      {
        hint: `Its columns are ${columns.map((column) => column.name).join(', ')}. Add the missing columns to the table, or select and rename columns upstream (duckdb.processor).`,
        details: { missing },
      },
    );
  }
  return pairs;
}
