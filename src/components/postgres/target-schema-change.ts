import type pg from 'pg';
import type { ColumnInfo } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { EventName } from '../../spec/events.js';
import type { SchemaChange } from '../shared/write-strategy.js';
import { parseDuckdbType, postgresTypeFor } from './duckdb-to-postgres-type.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';
import type { TargetColumn } from './target-table.js';

/** A target column whose type the input needs changed. */
export interface TypeChange {
  column: string;
  from: string;
  to: string;
  /** Why the change cannot be made without changing values (lossy); absent when it widens. */
  lossy?: string;
}

export interface SchemaDifference {
  /** Input columns the target lacks, with the type a new column gets. */
  added: Array<{ column: ColumnInfo; type: string }>;
  widened: TypeChange[];
  lossy: TypeChange[];
}

const INTEGER_DIGITS: Readonly<Record<string, number>> = { smallint: 5, integer: 10, bigint: 19 };
const INTEGER_RANK = ['smallint', 'integer', 'bigint'];

/** `numeric(p,s)` → [p, s]; `numeric` alone → undefined (no limit). */
function numericShape(type: string): [number, number] | undefined {
  const match = /^numeric\((\d+),(\d+)\)$/.exec(type.replace(/\s/g, ''));
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * How the input's column type (as the writer would create it) relates to the target's, for the
 * families where the answer does not depend on the values: integers and numerics widen
 * (smallint → integer → bigint → numeric(p,0); numeric(p,s) to more integer or fraction digits),
 * real widens to double precision; a fraction into an integer, a float into a numeric, a
 * timestamp into a date are lossy. Anything else (text into a typed column, say) is left to the
 * server, which parses each value or fails the write.
 */
export function compareTypes(column: string, targetType: string, inputType: string): TypeChange | undefined {
  const from = targetType.toLowerCase();
  const to = inputType.toLowerCase();
  if (from === to || from === 'text' || from === 'numeric' || from === 'jsonb' || from === 'json')
    return undefined;
  const widen = (type: string): TypeChange => ({ column, from: targetType, to: type });
  const lossy = (reason: string): TypeChange => ({ column, from: targetType, to: inputType, lossy: reason });
  const fromInteger = INTEGER_RANK.indexOf(from);
  const toInteger = INTEGER_RANK.indexOf(to);
  const toNumeric = numericShape(to);
  const fromNumeric = numericShape(from);
  if (fromInteger >= 0) {
    // A wider integer type is common (DuckDB and CSV integers are BIGINT) and says nothing about the
    // values: the server refuses one that does not fit, and the write rolls back.
    if (toInteger >= 0) return undefined;
    if (toNumeric && toNumeric[1] === 0) return toNumeric[0] > 19 ? widen(to) : widen('bigint');
    if (toNumeric) return lossy(`${to} has ${toNumeric[1]} fraction digits that ${targetType} would cut`);
    if (to === 'numeric')
      return lossy(`numeric values may have fraction digits that ${targetType} would cut`);
    return undefined;
  }
  if (fromNumeric) {
    const [precision, scale] = fromNumeric;
    const needed =
      toInteger >= 0
        ? ([INTEGER_DIGITS[to]!, 0] as const)
        : toNumeric
          ? ([toNumeric[0] - toNumeric[1], toNumeric[1]] as const)
          : undefined;
    if (needed) {
      const integers = Math.max(precision - scale, needed[0]);
      const fraction = Math.max(scale, needed[1]);
      if (integers === precision - scale && fraction === scale) return undefined;
      if (integers + fraction > 1000)
        return lossy(`numeric(${integers + fraction},${fraction}) exceeds PostgreSQL's limit`);
      return widen(`numeric(${integers + fraction},${fraction})`);
    }
    if (to === 'numeric') return widen('numeric');
    return undefined;
  }
  if (from === 'real' && (to === 'double precision' || toInteger >= 1)) return widen('double precision');
  if (from === 'date' && (to.startsWith('timestamp') || to === 'timestamptz')) {
    return lossy('the time of day would be cut off');
  }
  return undefined;
}

/** The input's columns against the target's (names matched as pairColumns does). */
export function compareSchemas(
  input: readonly ColumnInfo[],
  target: ReadonlyArray<{ name: string; type: string }>,
): SchemaDifference {
  const difference: SchemaDifference = { added: [], widened: [], lossy: [] };
  for (const column of input) {
    const exact = target.find((candidate) => candidate.name === column.name);
    const folded = target.filter((candidate) => candidate.name.toLowerCase() === column.name.toLowerCase());
    const match = exact ?? (folded.length === 1 ? folded[0] : undefined);
    const inputType = postgresTypeFor(parseDuckdbType(column.type));
    if (!match) {
      difference.added.push({ column, type: inputType });
      continue;
    }
    const change = compareTypes(match.name, match.type, inputType);
    if (change?.lossy) difference.lossy.push(change);
    else if (change) difference.widened.push(change);
  }
  return difference;
}

export interface ReconcileOptions {
  client: pg.Client;
  ref: string;
  schema: string;
  table: string;
  input: readonly ColumnInfo[];
  target: readonly TargetColumn[];
  schemaChange: SchemaChange;
  onEvent?: (name: EventName, fields: Record<string, unknown>) => void;
}

/**
 * Make the target take the input, inside the caller's transaction (PostgreSQL's DDL is
 * transactional, so a later failure rolls the ALTERs back too). `evolve` adds missing columns and
 * widens types; `freeze` refuses any difference before a row is written; `discard_columns` drops
 * the input's extra columns. A lossy type change is refused under every setting. Returns the input
 * columns to write and whether the target changed (the caller describes it again).
 */
export async function reconcileTargetSchema(
  options: ReconcileOptions,
): Promise<{ input: ColumnInfo[]; changed: boolean }> {
  const { ref, schema, table } = options;
  const where = `${schema}.${table}`;
  const difference = compareSchemas(options.input, options.target);
  const changes = [
    ...difference.added.map(({ column, type }) => `${column.name} (new, ${type})`),
    ...[...difference.widened, ...difference.lossy].map(
      (change) => `${change.column} (${change.from} → ${change.to})`,
    ),
  ];
  if (options.schemaChange === 'freeze' && changes.length > 0) {
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `${ref}: the input does not match table ${where} and schema_change is freeze: ${changes.join(', ')}`,
      {
        hint: "Nothing was written. Change the table yourself, set `schema_change: evolve` to let the writer add and widen columns, or select the table's columns upstream.",
        details: {
          table: where,
          added: difference.added.map(({ column, type }) => ({ column: column.name, type })),
          changed: [...difference.widened, ...difference.lossy],
        },
      },
    );
  }
  const [lossy] = difference.lossy;
  if (lossy) {
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `${ref}: column ${lossy.column} of table ${where} is ${lossy.from}, the input has ${lossy.to}: ${lossy.lossy}`,
      {
        hint: "Nothing was written. Cast the column upstream to the table's type (duckdb.processor), or change the table's column type yourself.",
        details: { table: where, column: lossy.column, old_type: lossy.from, new_type: lossy.to },
      },
    );
  }
  if (options.schemaChange === 'discard_columns') {
    const dropped = new Set(difference.added.map(({ column }) => column));
    if (dropped.size > 0) {
      options.onEvent?.('schema_changed', {
        table: where,
        schema_change: 'discard_columns',
        discarded: [...dropped].map((column) => column.name),
      });
    }
    const kept = options.input.filter((column) => !dropped.has(column));
    if (difference.widened.length === 0) return { input: kept, changed: false };
    await alterColumns(options, [], difference.widened);
    return { input: kept, changed: true };
  }
  if (difference.added.length === 0 && difference.widened.length === 0) {
    return { input: [...options.input], changed: false };
  }
  await alterColumns(options, difference.added, difference.widened);
  return { input: [...options.input], changed: true };
}

async function alterColumns(
  options: ReconcileOptions,
  added: SchemaDifference['added'],
  widened: readonly TypeChange[],
): Promise<void> {
  const actions = [
    ...added.map(({ column, type }) => `ADD COLUMN ${quoteIdentifier(column.name)} ${type}`),
    ...widened.map((change) => `ALTER COLUMN ${quoteIdentifier(change.column)} TYPE ${change.to}`),
  ];
  await options.client.query(
    `ALTER TABLE ${qualifiedName(options.schema, options.table)} ${actions.join(', ')}`,
  );
  options.onEvent?.('schema_changed', {
    table: `${options.schema}.${options.table}`,
    schema_change: options.schemaChange,
    ...(added.length > 0 ? { added: added.map(({ column, type }) => ({ column: column.name, type })) } : {}),
    ...(widened.length > 0 ? { widened: widened.map(({ column, from, to }) => ({ column, from, to })) } : {}),
  });
}
