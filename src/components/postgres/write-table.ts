import type { ColumnInfo, DataPlane } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { EventName } from '../../spec/events.js';
import { statementLockWaitMs } from '../../util/lock-wait.js';
import { scd2ColumnNames } from '../shared/write-strategy.js';
import type { PostgresSession } from './client.js';
import { copyDataPlaneIntoPostgres } from './copy-into-postgres.js';
import { borrowDuckdbConnection, pipeDirectory } from './duckdb-connection.js';
import { parseDuckdbType, renderForPostgres } from './duckdb-to-postgres-type.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';
import { BEGIN_WRITE } from './session-settings.js';
import { lockTarget, targetLockedError } from './target-lock.js';
import { reconcileTargetSchema } from './target-schema-change.js';
import {
  type ColumnPair,
  createdColumns,
  createTableSql,
  describeTargetTable,
  pairColumns,
} from './target-table.js';
import {
  deleteInsert,
  type MergeCounts,
  type MergeTarget,
  refuseDuplicateKeys,
  scd2,
  upsert,
} from './write-strategies.js';
import type { WriterSettings } from './writer-config.js';

export interface WriteTableOptions {
  session: PostgresSession;
  dataPlane: DataPlane;
  /** Data-plane table holding the rows to write. */
  inputTable: string;
  settings: WriterSettings;
  signal: AbortSignal;
  /** The connection's read watchdog, if any: waits on other sessions' locks end before it fires. */
  readTimeoutMs?: number;
  onProgress?: (rows: number) => void;
  onEvent?: (name: EventName, fields: Record<string, unknown>) => void;
  /** Awaited right before COMMIT (`on_failure: rollback_all`); throwing rolls the write back. */
  beforeCommit?: () => Promise<void>;
}

export interface WriteTableResult {
  rows: number;
  bytes: number;
  created: boolean;
  /** Merges only (upsert, delete_insert, scd2): rows (versions) added, changed (closed), deleted. */
  inserted?: number;
  updated?: number;
  deleted?: number;
}

const STAGING = 'osiris_staging';

/**
 * Write a data-plane table into PostgreSQL in one transaction, so a failure at any point
 * (bad value, constraint, lost connection, abort) leaves the target exactly as it was:
 * - append: COPY straight into the target;
 * - upsert: COPY into a temporary staging table, then INSERT … ON CONFLICT (primary_key) DO UPDATE;
 * - replace: COPY into staging, then TRUNCATE + INSERT … SELECT. The target keeps its identity
 *   (grants, RLS policies, views, triggers, sequences), which renaming a new table into its
 *   place would lose; TRUNCATE's lock is held only while the server copies staging over.
 * - delete_insert: COPY into staging, DELETE the target rows whose key is staged, INSERT the staged rows;
 * - scd2: COPY into staging, close changed current versions, add new ones (write-strategies.ts);
 * - deleted_column: staged rows flagged deleted delete (scd2: close) their key instead of landing.
 * A missing target is created from the input's types (create_if_missing) and loaded directly when
 * no merge is needed. An existing target first takes the input's schema (schema_change).
 * Before any of that, the transaction takes the target's advisory lock (target-lock.ts): writers
 * of one table take turns instead of deadlocking, and give up after `lock_timeout`.
 */
export async function writeTable(options: WriteTableOptions): Promise<WriteTableResult> {
  const { session, dataPlane, settings, signal } = options;
  const client = session.client;
  const target = qualifiedName(settings.schema, settings.table);
  const where = `${settings.schema}.${settings.table}`;
  let input = await dataPlane.columns(options.inputTable);
  const history = settings.mode === 'scd2' ? scd2ColumnNames(settings.scd2Columns) : [];
  refuseHistoryColumnsInInput(session.ref, input, history);
  const statementWaitMs = statementLockWaitMs(settings.lockTimeoutSeconds, options.readTimeoutMs);
  const duckdb = await borrowDuckdbConnection(dataPlane);
  let inTransaction = false;
  try {
    signal.throwIfAborted();
    await client.query(BEGIN_WRITE);
    inTransaction = true;
    await lockTarget(session, settings.schema, settings.table, settings.lockTimeoutSeconds, {
      signal,
      statementWaitMs,
    });
    let columns = await describeTargetTable(client, settings.schema, settings.table);
    const created = columns === undefined;
    if (!columns) {
      if (!settings.createIfMissing) {
        throw new OsirisError(ErrorCodes.WRITE_FAILED, `${session.ref}: table ${where} does not exist`, {
          hint: 'Create it first, or set create_if_missing: true to create it from the input columns.',
        });
      }
      requireKeyColumns(
        session.ref,
        settings.primaryKey,
        input.map((column) => column.name),
        'input',
      );
      const createdFrom = settings.mode === 'scd2' ? [...input, ...historyColumns(settings)] : input;
      const createdKey =
        settings.mode === 'scd2'
          ? [...settings.primaryKey, settings.scd2Columns.validFrom]
          : settings.primaryKey;
      await client.query(createTableSql(settings.schema, settings.table, createdFrom, createdKey));
      columns = createdColumns(createdFrom);
      options.onEvent?.('table_created', {
        table: where,
        columns: columns.map(({ name, type }) => ({ name, type })),
      });
    }
    if (!created) {
      const reconciled = await reconcileTargetSchema({
        client,
        ref: session.ref,
        schema: settings.schema,
        table: settings.table,
        input,
        target: columns.filter((column) => !history.includes(column.name)),
        schemaChange: settings.schemaChange,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
      input = reconciled.input;
      if (reconciled.changed)
        columns = (await describeTargetTable(client, settings.schema, settings.table)) ?? [];
      requireHistoryColumns(session.ref, where, columns, history);
    }
    const pairs = pairColumns(session.ref, where, input, columns);
    const targetColumns = pairs.map((pair) => quoteIdentifier(pair.target.name)).join(', ');
    const direct =
      settings.mode === 'append' || (created && settings.mode !== 'scd2' && !settings.deletedColumn);
    if (!direct) {
      await client.query(
        `CREATE TEMP TABLE ${STAGING} ON COMMIT DROP AS SELECT ${targetColumns} FROM ${target} WITH NO DATA`,
      );
    }
    const moved = await copyDataPlaneIntoPostgres({
      session,
      duckdb,
      pipeDirectory: pipeDirectory(dataPlane),
      select: renderedSelect(dataPlane, options.inputTable, pairs),
      copy: `COPY ${direct ? target : STAGING} (${targetColumns}) FROM STDIN (FORMAT csv)`,
      signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    let result: WriteTableResult = { ...moved, created };
    if (!direct && settings.mode === 'replace') {
      await client.query(`TRUNCATE ${target}`);
      await client.query(`INSERT INTO ${target} (${targetColumns}) SELECT ${targetColumns} FROM ${STAGING}`);
    }
    if (!direct && settings.mode !== 'replace') {
      const counts = await merge(session.ref, settings, {
        client,
        target,
        staging: STAGING,
        columns: pairs.map((pair) => pair.target.name),
        keys: keyColumns(session.ref, settings.primaryKey, pairs),
        ...(settings.deletedColumn
          ? { deleted: keyColumns(session.ref, [settings.deletedColumn], pairs)[0]! }
          : {}),
      });
      result = { ...result, ...counts };
    }
    signal.throwIfAborted();
    await options.beforeCommit?.();
    await client.query('COMMIT');
    inTransaction = false;
    return result;
  } catch (error) {
    // A broken connection cannot roll back, but the server rolls back when it goes away.
    if (inTransaction) await client.query('ROLLBACK').catch(() => session.close());
    if (signal.aborted) {
      throw new CancelledError(`${session.ref}: write to ${where} cancelled; the table was left as it was`, {
        cause: error,
      });
    }
    throw (
      targetLockedError(session, error, where, statementWaitMs) ??
      session.error(error, `writing to ${where}`, ErrorCodes.WRITE_FAILED)
    );
  } finally {
    duckdb.release();
  }
}

function renderedSelect(dataPlane: DataPlane, inputTable: string, pairs: readonly ColumnPair[]): string {
  const values = pairs.map((pair) =>
    renderForPostgres(
      parseDuckdbType(pair.input.type),
      dataPlane.quote(pair.input.name),
      pair.target.listTarget,
    ),
  );
  return `SELECT ${values.join(', ')} FROM ${dataPlane.quote(inputTable)}`;
}

/** The merge of the staged rows into the target that `write_mode` names. */
async function merge(ref: string, settings: WriterSettings, target: MergeTarget): Promise<MergeCounts> {
  switch (settings.mode) {
    case 'upsert':
      return upsert(target);
    case 'delete_insert':
      return deleteInsert(target);
    case 'scd2':
      await refuseDuplicateKeys(target, ref, settings.mode);
      return scd2(target, settings.scd2Columns, new Date());
    default:
      throw new OsirisError(ErrorCodes.INTERNAL, `${ref}: no merge for write_mode ${settings.mode}`);
  }
}

/** The history columns of a table scd2 creates, as data-plane types (mapped like input columns). */
function historyColumns(settings: WriterSettings): ColumnInfo[] {
  const names = settings.scd2Columns;
  return [
    { name: names.validFrom, type: 'TIMESTAMP WITH TIME ZONE' },
    { name: names.validTo, type: 'TIMESTAMP WITH TIME ZONE' },
    { name: names.isCurrent, type: 'BOOLEAN' },
    { name: names.rowHash, type: 'VARCHAR' },
  ];
}

function refuseHistoryColumnsInInput(
  ref: string,
  input: readonly ColumnInfo[],
  history: readonly string[],
): void {
  const clash = input.filter(
    (column) => history.includes(column.name.toLowerCase()) || history.includes(column.name),
  );
  if (clash.length === 0) return;
  throw new OsirisError(
    ErrorCodes.USAGE,
    `${ref}: the input has column ${clash.map((column) => column.name).join(', ')}, which write_mode scd2 maintains itself`,
    { hint: 'Rename the column upstream, or give the history columns other names with `scd2_columns`.' },
  );
}

function requireHistoryColumns(
  ref: string,
  where: string,
  columns: readonly { name: string }[],
  history: readonly string[],
): void {
  const missing = history.filter((name) => !columns.some((column) => column.name === name));
  if (missing.length === 0) return;
  throw new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `${ref}: table ${where} has no history column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for write_mode scd2`,
    {
      hint: 'Write the history to a new table (the writer creates it), or name the existing columns with `scd2_columns`.',
      details: { missing },
    },
  );
}

/** primary_key names, as target column names (they may be spelled like the input's). */
function keyColumns(ref: string, primaryKey: readonly string[], pairs: readonly ColumnPair[]): string[] {
  requireKeyColumns(
    ref,
    primaryKey,
    pairs.flatMap((pair) => [pair.input.name, pair.target.name]),
    'input',
  );
  return primaryKey.map(
    (key) => pairs.find((pair) => pair.input.name === key || pair.target.name === key)!.target.name,
  );
}

function requireKeyColumns(
  ref: string,
  primaryKey: readonly string[],
  available: readonly string[],
  what: string,
): void {
  const missing = primaryKey.filter((key) => !available.includes(key));
  if (missing.length > 0) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${ref}: primary_key ${missing.join(', ')} is not a column of the ${what}`,
      {
        hint: `The ${what} columns are ${[...new Set(available)].join(', ')}.`,
      },
    );
  }
}
