import type { DataPlane } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { EventName } from '../../spec/events.js';
import { statementLockWaitMs } from '../../util/lock-wait.js';
import type { PostgresSession } from './client.js';
import { copyDataPlaneIntoPostgres } from './copy-into-postgres.js';
import { borrowDuckdbConnection, pipeDirectory } from './duckdb-connection.js';
import { parseDuckdbType, renderForPostgres } from './duckdb-to-postgres-type.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';
import { BEGIN_WRITE } from './session-settings.js';
import { lockTarget, targetLockedError } from './target-lock.js';
import {
  type ColumnPair,
  createdColumns,
  createTableSql,
  describeTargetTable,
  pairColumns,
} from './target-table.js';
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
}

export interface WriteTableResult {
  rows: number;
  bytes: number;
  created: boolean;
  /** Upsert only: rows that were new, and rows that replaced an existing key. */
  inserted?: number;
  updated?: number;
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
 * A missing target is created from the input's types (create_if_missing) and loaded directly.
 * Before any of that, the transaction takes the target's advisory lock (target-lock.ts): writers
 * of one table take turns instead of deadlocking, and give up after `lock_timeout`.
 */
export async function writeTable(options: WriteTableOptions): Promise<WriteTableResult> {
  const { session, dataPlane, settings, signal } = options;
  const client = session.client;
  const target = qualifiedName(settings.schema, settings.table);
  const where = `${settings.schema}.${settings.table}`;
  const input = await dataPlane.columns(options.inputTable);
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
      await client.query(createTableSql(settings.schema, settings.table, input, settings.primaryKey));
      columns = createdColumns(input);
      options.onEvent?.('table_created', {
        table: where,
        columns: columns.map(({ name, type }) => ({ name, type })),
      });
    }
    const pairs = pairColumns(session.ref, where, input, columns);
    const targetColumns = pairs.map((pair) => quoteIdentifier(pair.target.name)).join(', ');
    const direct = settings.mode === 'append' || created;
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
    if (!direct && settings.mode === 'upsert') {
      const keys = keyColumns(session.ref, settings.primaryKey, pairs);
      const counts = await client.query<{ inserted: string }>(upsertSql(target, pairs, keys));
      const inserted = Number(counts.rows[0]?.inserted ?? 0);
      result = { ...result, inserted, updated: moved.rows - inserted };
    }
    signal.throwIfAborted();
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

/**
 * Counts new rows apart from updated ones (`xmax = 0` marks a freshly inserted tuple) without
 * sending any row back. With every column in the key there is nothing to update: DO NOTHING.
 */
function upsertSql(target: string, pairs: readonly ColumnPair[], keys: readonly string[]): string {
  const columns = pairs.map((pair) => pair.target.name);
  const updates = columns.filter((name) => !keys.includes(name));
  const list = columns.map(quoteIdentifier).join(', ');
  const action =
    updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((name) => `${quoteIdentifier(name)} = EXCLUDED.${quoteIdentifier(name)}`).join(', ')}`;
  return (
    `WITH upserted AS (INSERT INTO ${target} (${list}) SELECT ${list} FROM ${STAGING} ` +
    `ON CONFLICT (${keys.map(quoteIdentifier).join(', ')}) ${action} RETURNING (xmax = 0) AS inserted) ` +
    'SELECT count(*) FILTER (WHERE inserted) AS inserted FROM upserted'
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
