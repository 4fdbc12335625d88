import type { StepContext } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { SchemaChange } from '../shared/write-strategy.js';
import type { MysqlSession } from './client.js';
import { qualifiedTableName, quoteMysqlIdentifier } from './extract-query.js';
import type { ColumnDefinition } from './table-description.js';
import type { TargetColumn } from './target-columns.js';

export interface TypeChange {
  column: string;
  from: string;
  to: string;
  /** Why values would change; absent when the change widens. */
  lossy?: string;
}

const INTEGER_RANK = ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'];
const INTEGER_DIGITS = [3, 5, 7, 10, 20];
const MAX_DECIMAL_DIGITS = 65;
const MAX_DECIMAL_SCALE = 30;

/** `int(11) unsigned` → `int`; `decimal(12,2)` stays; `tinyint(1)` → `tinyint`. */
function baseType(type: string): string {
  const lower = type.toLowerCase().trim();
  if (/^decimal\(/.test(lower)) return lower.replace(/\s*unsigned.*$/, '').replace(/\s/g, '');
  return lower
    .replace(/\(.*?\)/, '')
    .replace(/\s+(unsigned|signed|zerofill).*$/, '')
    .trim();
}

function decimalShape(type: string): [number, number] | undefined {
  const match = /^decimal\((\d+),(\d+)\)$/.exec(type);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * The input column's MySQL type against the target's, where the answer does not depend on the
 * values: integers and decimals widen (tinyint → … → bigint → decimal(p,0); decimal to more
 * integer or fraction digits), float widens to double; a fraction into an integer, a float into
 * a decimal or integer, a datetime into a date are lossy. Anything else is left to the server.
 */
export function compareMysqlTypes(
  column: string,
  targetType: string,
  inputType: string,
): TypeChange | undefined {
  const from = baseType(targetType);
  const to = baseType(inputType);
  if (from === to) return undefined;
  const widen = (type: string): TypeChange => ({ column, from: targetType, to: type });
  const lossy = (reason: string): TypeChange => ({ column, from: targetType, to: inputType, lossy: reason });
  const fromInteger = INTEGER_RANK.indexOf(from);
  const toInteger = INTEGER_RANK.indexOf(to);
  const toDecimal = decimalShape(to);
  const fromDecimal = decimalShape(from);
  if (fromInteger >= 0) {
    // A wider integer type is common (DuckDB and CSV integers are BIGINT) and says nothing about the
    // values: the server refuses one that does not fit, and the write rolls back.
    if (toInteger >= 0) return undefined;
    if (toDecimal && toDecimal[1] === 0)
      return toDecimal[0] > 19 ? widen(`DECIMAL(${toDecimal[0]},0)`) : widen('BIGINT');
    if (toDecimal) return lossy(`${to} has ${toDecimal[1]} fraction digits that ${targetType} would cut`);
    return undefined;
  }
  if (fromDecimal) {
    const [precision, scale] = fromDecimal;
    const needed =
      toInteger >= 0
        ? ([INTEGER_DIGITS[toInteger]!, 0] as const)
        : toDecimal
          ? ([toDecimal[0] - toDecimal[1], toDecimal[1]] as const)
          : undefined;
    if (needed) {
      const integers = Math.max(precision - scale, needed[0]);
      const fraction = Math.max(scale, needed[1]);
      if (integers === precision - scale && fraction === scale) return undefined;
      if (integers + fraction > MAX_DECIMAL_DIGITS || fraction > MAX_DECIMAL_SCALE) {
        return lossy(`DECIMAL(${integers + fraction},${fraction}) exceeds MySQL's limit of 65 digits`);
      }
      return widen(`DECIMAL(${integers + fraction},${fraction})`);
    }
    return undefined;
  }
  if (from === 'float' && (to === 'double' || toInteger >= 3)) return widen('DOUBLE');
  if (from === 'date' && (to === 'datetime' || to === 'timestamp'))
    return lossy('the time of day would be cut off');
  return undefined;
}

export interface SchemaDifference {
  added: TargetColumn[];
  widened: TypeChange[];
  lossy: TypeChange[];
}

export function compareMysqlSchemas(
  input: readonly TargetColumn[],
  target: readonly ColumnDefinition[],
): SchemaDifference {
  const difference: SchemaDifference = { added: [], widened: [], lossy: [] };
  for (const column of input) {
    const match = target.find((candidate) => candidate.name.toLowerCase() === column.name.toLowerCase());
    if (!match) {
      difference.added.push(column);
      continue;
    }
    const change = compareMysqlTypes(match.name, match.columnType, column.mysqlType);
    if (change?.lossy) difference.lossy.push(change);
    else if (change) difference.widened.push(change);
  }
  return difference;
}

/** How to undo what reconcile changed, should the data transaction fail (MySQL DDL commits at once). */
export type SchemaUndo = (session: MysqlSession) => Promise<void>;

/**
 * Make the target take the input before the data transaction: MySQL commits DDL implicitly, so
 * the ALTER runs first and is undone (columns dropped, types restored) if the write then fails.
 * `freeze` and lossy changes fail before anything changes. Returns the input columns to write.
 */
export async function reconcileMysqlSchema(options: {
  session: MysqlSession;
  ctx: StepContext;
  schema: string;
  table: string;
  input: readonly TargetColumn[];
  target: readonly ColumnDefinition[];
  schemaChange: SchemaChange;
}): Promise<{ input: TargetColumn[]; undo?: SchemaUndo }> {
  const { schema, table } = options;
  const where = `${schema}.${table}`;
  const difference = compareMysqlSchemas(options.input, options.target);
  const changes = [
    ...difference.added.map((column) => `${column.name} (new, ${column.mysqlType})`),
    ...[...difference.widened, ...difference.lossy].map(
      (change) => `${change.column} (${change.from} → ${change.to})`,
    ),
  ];
  if (options.schemaChange === 'freeze' && changes.length > 0) {
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `mysql.writer: the input does not match table ${where} and schema_change is freeze: ${changes.join(', ')}`,
      {
        hint: "Nothing was written. Change the table yourself, set `schema_change: evolve` to let the writer add and widen columns, or select the table's columns upstream.",
        details: {
          table: where,
          added: difference.added.map((column) => ({ column: column.name, type: column.mysqlType })),
          changed: [...difference.widened, ...difference.lossy],
        },
      },
    );
  }
  const [lossy] = difference.lossy;
  if (lossy) {
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `mysql.writer: column ${lossy.column} of table ${where} is ${lossy.from}, the input has ${lossy.to}: ${lossy.lossy}`,
      {
        hint: "Nothing was written. Cast the column upstream to the table's type (duckdb.processor), or change the table's column type yourself.",
        details: { table: where, column: lossy.column, old_type: lossy.from, new_type: lossy.to },
      },
    );
  }
  const discard = options.schemaChange === 'discard_columns';
  const added = discard ? [] : difference.added;
  const input = discard
    ? options.input.filter((column) => !difference.added.includes(column))
    : [...options.input];
  if (discard && difference.added.length > 0) {
    options.ctx.log.event('schema_changed', {
      table: where,
      schema_change: 'discard_columns',
      discarded: difference.added.map((column) => column.name),
    });
  }
  if (added.length === 0 && difference.widened.length === 0) return { input };
  const target = qualifiedTableName(table, schema);
  const widenedDefinitions = difference.widened.map(
    (change) => options.target.find((definition) => definition.name === change.column)!,
  );
  const actions = [
    ...added.map((column) => `ADD COLUMN ${quoteMysqlIdentifier(column.name)} ${column.mysqlType} NULL`),
    ...difference.widened.map(
      (change, index) =>
        `MODIFY COLUMN ${definitionSql({ ...widenedDefinitions[index]!, columnType: change.to }, options.session)}`,
    ),
  ];
  await options.session.query.query(`ALTER TABLE ${target} ${actions.join(', ')}`);
  options.ctx.log.event('schema_changed', {
    table: where,
    schema_change: options.schemaChange,
    ...(added.length > 0
      ? { added: added.map((column) => ({ column: column.name, type: column.mysqlType })) }
      : {}),
    ...(difference.widened.length > 0
      ? { widened: difference.widened.map(({ column, from, to }) => ({ column, from, to })) }
      : {}),
  });
  const undo: SchemaUndo = async (session) => {
    const reverse = [
      ...added.map((column) => `DROP COLUMN ${quoteMysqlIdentifier(column.name)}`),
      ...widenedDefinitions.map((definition) => `MODIFY COLUMN ${definitionSql(definition, session)}`),
    ];
    await session.query.query(`ALTER TABLE ${target} ${reverse.join(', ')}`);
  };
  return { input, undo };
}

function definitionSql(definition: ColumnDefinition, session: MysqlSession): string {
  const defaultValue = definition.defaultValue;
  // MariaDB reports literal defaults quoted ('x') and expressions bare; NULL as the text NULL.
  const withDefault =
    defaultValue === null || defaultValue === 'NULL'
      ? ''
      : ` DEFAULT ${/^'.*'$/s.test(defaultValue) || /^-?[0-9.]+$/.test(defaultValue) || /\(/.test(defaultValue) ? defaultValue : session.raw.escape(defaultValue)}`;
  return `${quoteMysqlIdentifier(definition.name)} ${definition.columnType} ${definition.nullable ? 'NULL' : 'NOT NULL'}${withDefault}`;
}
