import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** How a database writer merges its input into the target (README "Write strategies"). */
export type WriteMode = 'append' | 'replace' | 'upsert' | 'delete_insert' | 'scd2';
export const WRITE_MODES: readonly WriteMode[] = ['append', 'replace', 'upsert', 'delete_insert', 'scd2'];

/** What a database writer does when the input's columns differ from the target's. */
export type SchemaChange = 'evolve' | 'freeze' | 'discard_columns';
const SCHEMA_CHANGES: readonly SchemaChange[] = ['evolve', 'freeze', 'discard_columns'];

/** Names of the history columns of `write_mode: scd2`. */
export interface Scd2Columns {
  validFrom: string;
  validTo: string;
  isCurrent: string;
  rowHash: string;
}

export interface WriteStrategy {
  mode: WriteMode;
  /** Empty when not given (append only). */
  primaryKey: string[];
  /** Input column whose true value deletes (scd2: closes) the target row of its key. */
  deletedColumn?: string;
  scd2Columns: Scd2Columns;
  schemaChange: SchemaChange;
}

const DELETE_FLAG_MODES: readonly WriteMode[] = ['upsert', 'delete_insert', 'scd2'];

/**
 * The write-strategy keys of a database writer's config (already schema-validated by the
 * compiler), checked once more where the driver relies on them: a hand-edited manifest meets
 * the same rules as `osiris validate`.
 */
export function parseWriteStrategy(config: Record<string, unknown>, component: string): WriteStrategy {
  const fail = (message: string, hint: string) =>
    new OsirisError(ErrorCodes.USAGE, `${component}: ${message}`, { hint });
  const mode = (config.write_mode ?? 'append') as WriteMode;
  if (!WRITE_MODES.includes(mode)) {
    throw fail(`write_mode "${String(config.write_mode)}" is not one of ${WRITE_MODES.join(', ')}`, '');
  }
  const key = config.primary_key;
  const primaryKey = key === undefined || key === null || key === '' ? [] : [key].flat().map(String);
  const deletedColumn = typeof config.deleted_column === 'string' ? config.deleted_column : undefined;
  if (primaryKey.length === 0 && (mode !== 'append' || deletedColumn)) {
    throw fail(
      `${mode === 'append' ? '`deleted_column`' : `write_mode ${mode}`} needs \`primary_key\``,
      'Set primary_key to the column (or list of columns) that identifies a row, e.g. `primary_key: id`.',
    );
  }
  if (deletedColumn && !DELETE_FLAG_MODES.includes(mode)) {
    throw fail(
      `deleted_column has no effect with write_mode ${mode}`,
      `Use it with write_mode ${DELETE_FLAG_MODES.join(', ')}, or remove it.`,
    );
  }
  const schemaChange = (config.schema_change ?? 'evolve') as SchemaChange;
  if (!SCHEMA_CHANGES.includes(schemaChange)) {
    throw fail(
      `schema_change "${String(config.schema_change)}" is not one of ${SCHEMA_CHANGES.join(', ')}`,
      '',
    );
  }
  const names = (config.scd2_columns ?? {}) as Record<string, unknown>;
  const name = (field: string) => (typeof names[field] === 'string' ? String(names[field]) : field);
  const scd2Columns: Scd2Columns = {
    validFrom: name('valid_from'),
    validTo: name('valid_to'),
    isCurrent: name('is_current'),
    rowHash: name('row_hash'),
  };
  if (mode === 'scd2') {
    const all = Object.values(scd2Columns).map((column) => column.toLowerCase());
    if (new Set(all).size !== all.length) {
      throw fail(
        'the scd2_columns names must differ from each other',
        'Give each history column its own name.',
      );
    }
  }
  return {
    mode,
    primaryKey,
    ...(deletedColumn ? { deletedColumn } : {}),
    scd2Columns,
    schemaChange,
  };
}

/** The history column names in table order. */
export function scd2ColumnNames(columns: Scd2Columns): string[] {
  return [columns.validFrom, columns.validTo, columns.isCurrent, columns.rowHash];
}

/** Lower-case text forms of a deleted flag that count as true (booleans, 1, "true", "yes"...). */
export const TRUE_FLAG_TEXTS = ['1', 'true', 't', 'yes', 'y', 'on'];

/**
 * What the step reports about its strategy (the `write_strategy` of step_start is built from the
 * config by the runner; this is the driver's own summary, for events).
 */
export function describeWriteStrategy(strategy: WriteStrategy): Record<string, unknown> {
  return {
    write_mode: strategy.mode,
    ...(strategy.primaryKey.length > 0 ? { primary_key: strategy.primaryKey } : {}),
    ...(strategy.deletedColumn ? { deleted_column: strategy.deletedColumn } : {}),
    schema_change: strategy.schemaChange,
  };
}
