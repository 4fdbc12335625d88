import { createHash, randomBytes } from 'node:crypto';
import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { Driver, DriverResult, DriverRunInput, StepContext } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { singleInput } from '../shared/database-config.js';
import { scd2ColumnNames } from '../shared/write-strategy.js';
import { cancelled, connectMysql, destroyOnAbort, type MysqlSession } from './client.js';
import { type MysqlConnectionSettings, resolveMysqlSettings } from './connection-settings.js';
import { qualifiedTableName, quoteMysqlIdentifier } from './extract-query.js';
import { errorCodeOf, statementError } from './mysql-errors.js';
import { describeTable, type TableDescription } from './table-description.js';
import { type TargetColumn, targetColumn } from './target-columns.js';
import { isLockWaitTimeout, lockTarget, statementLockWaitSeconds } from './target-lock.js';
import { reconcileMysqlSchema, type SchemaUndo } from './target-schema-change.js';
import {
  deleteInsert,
  type MergeCounts,
  type MysqlMerge,
  refuseDuplicateKeys,
  scd2,
  upsertWithDeletes,
} from './write-merge.js';
import { writeRows } from './write-rows.js';
import { parseWriterConfig, type WriterConfig } from './writer-config.js';

/** Statements stay well under max_allowed_packet, and never above this (bounds memory). */
const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;
const PACKET_MARGIN_BYTES = 64 * 1024;
const MYSQL_MAX_IDENTIFIER_LENGTH = 64;

interface WriteJob {
  session: MysqlSession;
  ctx: StepContext;
  config: WriterConfig;
  schema: string;
  inputTable: string;
  columns: TargetColumn[];
  existing: TableDescription | undefined;
  maxStatementBytes: number;
  /** SQL bytes sent so far, staging loads included: reported as `bytes_written`. */
  bytesSent: number;
}

/** MySQL types of the history columns a table written with scd2 gets. */
const HISTORY_TYPES = [
  'DATETIME(6) NOT NULL',
  'DATETIME(6) NULL',
  'TINYINT(1) NOT NULL',
  'CHAR(32) NOT NULL',
];

const lower = (name: string) => name.toLowerCase();

function writeFailed(message: string, hint: string, details: Record<string, unknown> = {}): OsirisError {
  return new OsirisError(ErrorCodes.WRITE_FAILED, `mysql.writer: ${message}`, { hint, details });
}

/** Refuse early, before anything is written, when the target cannot take the input. */
function checkTarget(job: Omit<WriteJob, 'session' | 'ctx' | 'maxStatementBytes' | 'bytesSent'>): void {
  const { config, existing, columns } = job;
  const inputNames = new Set(columns.map((column) => lower(column.name)));
  const missingKey = config.primaryKey.filter((name) => !inputNames.has(lower(name)));
  if (missingKey.length > 0) {
    throw writeFailed(
      `primary_key column(s) ${missingKey.join(', ')} are not in the input`,
      `the input has: ${columns.map((column) => column.name).join(', ')}`,
    );
  }
  if (!existing) {
    if (!config.createIfMissing) {
      throw writeFailed(
        `table ${job.schema}.${config.table} does not exist`,
        'create it first, or set `create_if_missing: true` to let the writer create it from the input columns',
      );
    }
    return;
  }
  if (existing.isView) {
    throw writeFailed(`${job.schema}.${config.table} is a view`, 'write to a table instead');
  }
  if (config.writeMode === 'scd2') {
    const missing = scd2ColumnNames(config.scd2Columns).filter(
      (name) => !existing.columns.some((column) => lower(column) === lower(name)),
    );
    if (missing.length > 0) {
      throw writeFailed(
        `table ${job.schema}.${config.table} has no history column(s) ${missing.join(', ')} for write_mode scd2`,
        'write the history to a new table (the writer creates it), or name the existing columns with `scd2_columns`',
        { missing_columns: missing },
      );
    }
  }
  if (config.writeMode === 'upsert') {
    const wanted = [...config.primaryKey].map(lower).sort().join(',');
    const hasKey = existing.uniqueKeys.some((key) => key.map(lower).sort().join(',') === wanted);
    if (!hasKey) {
      throw writeFailed(
        `upsert needs a primary key or unique index on (${config.primaryKey.join(', ')}) in ${job.schema}.${config.table}`,
        `add one: ALTER TABLE ${config.table} ADD PRIMARY KEY (${config.primaryKey.join(', ')})`,
      );
    }
  }
}

function createTableSql(
  qualifiedName: string,
  columns: readonly TargetColumn[],
  primaryKey: readonly string[],
  history: readonly string[] = [],
): string {
  const definitions = columns.map((column) => {
    const notNull = primaryKey.some((key) => lower(key) === lower(column.name)) ? ' NOT NULL' : '';
    return `  ${quoteMysqlIdentifier(column.name)} ${column.mysqlType}${notNull}`;
  });
  definitions.push(
    ...history.map((name, index) => `  ${quoteMysqlIdentifier(name)} ${HISTORY_TYPES[index]}`),
  );
  const key = history.length > 0 ? [...primaryKey, history[0]!] : primaryKey;
  if (key.length > 0) definitions.push(`  PRIMARY KEY (${key.map(quoteMysqlIdentifier).join(', ')})`);
  return `CREATE TABLE ${qualifiedName} (\n${definitions.join(',\n')}\n) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;
}

/**
 * Run `work` inside a transaction; roll back and rethrow on failure. With `on_failure:
 * rollback_all` the step's commit gate is awaited before COMMIT: it throws when another step of
 * the run failed, and the write rolls back with everything else.
 */
async function inTransaction<T>(
  session: MysqlSession,
  work: () => Promise<T>,
  ctx?: StepContext,
): Promise<T> {
  await session.query.query('START TRANSACTION');
  try {
    const result = await work();
    await ctx?.commitTogether?.ready();
    await session.query.query('COMMIT');
    return result;
  } catch (error) {
    // If the socket is gone the server rolls back by itself; the original error matters more.
    await session.query.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function loadInto(job: WriteJob, target: string, tail = ''): Promise<number> {
  return writeRows(job.session, {
    dataPlane: job.ctx.dataPlane,
    inputTable: job.inputTable,
    columns: job.columns,
    target,
    tail,
    batchSize: job.config.batchSize,
    maxStatementBytes: job.maxStatementBytes,
    onProgress: (rows) => job.ctx.progress(rows),
    onBytes: (bytes) => {
      job.bytesSent += bytes;
    },
  });
}

function upsertTail(job: WriteJob): string {
  const keys = new Set(job.config.primaryKey.map(lower));
  const updates = job.columns
    .filter((column) => !keys.has(lower(column.name)))
    .map((column) => `${quoteMysqlIdentifier(column.name)} = VALUES(${quoteMysqlIdentifier(column.name)})`);
  // Key-only rows: nothing to update, but the statement still needs an assignment.
  const firstKey = quoteMysqlIdentifier(job.config.primaryKey[0]!);
  return ` ON DUPLICATE KEY UPDATE ${updates.length > 0 ? updates.join(', ') : `${firstKey} = ${firstKey}`}`;
}

/** append and upsert: one transaction; a table the writer created is dropped again on failure. */
async function appendOrUpsert(job: WriteJob): Promise<number> {
  const target = qualifiedTableName(job.config.table, job.schema);
  let created = false;
  if (!job.existing) {
    await job.session.query.query(createTableSql(target, job.columns, job.config.primaryKey));
    created = true;
    job.ctx.log.event('table_created', { table: `${job.schema}.${job.config.table}` });
  }
  try {
    const tail = job.config.writeMode === 'upsert' ? upsertTail(job) : '';
    return await inTransaction(job.session, () => loadInto(job, target, tail), job.ctx);
  } catch (error) {
    if (created) await dropQuietly(job, target);
    throw error;
  }
}

const STAGING = '`osiris_staging`';

/**
 * delete_insert, scd2, and upsert with deleted_column: the input goes into a temporary table of
 * this session, then a few set statements merge it into the target, all in one transaction (the
 * temporary table is created before it: CREATE TEMPORARY TABLE commits nothing).
 */
async function mergeThroughStaging(job: WriteJob): Promise<number> {
  const { session, config } = job;
  const target = qualifiedTableName(config.table, job.schema);
  const history = config.writeMode === 'scd2' ? scd2ColumnNames(config.scd2Columns) : [];
  let created = false;
  if (!job.existing) {
    await session.query.query(createTableSql(target, job.columns, config.primaryKey, history));
    created = true;
    job.ctx.log.event('table_created', { table: `${job.schema}.${config.table}` });
  }
  const keys = config.primaryKey.map(
    (key) => job.columns.find((column) => lower(column.name) === lower(key))!,
  );
  // An index on the key turns the joins into lookups; TEXT/BLOB keys cannot be indexed whole.
  const indexable = keys.every((column) => {
    const type = job.existing?.definitions.find(
      (definition) => lower(definition.name) === lower(column.name),
    )?.columnType;
    return !/text|blob|json/i.test(type ?? column.mysqlType);
  });
  const merge: MysqlMerge = {
    session,
    target,
    staging: STAGING,
    columns: job.columns.map((column) => column.name),
    keys: keys.map((column) => column.name),
    ...(config.deletedColumn
      ? {
          deleted:
            job.columns.find((column) => lower(column.name) === lower(config.deletedColumn!))?.name ??
            config.deletedColumn,
        }
      : {}),
  };
  try {
    await session.query.query(`DROP TEMPORARY TABLE IF EXISTS ${STAGING}`);
    await session.query.query(
      `CREATE TEMPORARY TABLE ${STAGING} ${indexable ? `(INDEX osiris_key (${merge.keys.map(quoteMysqlIdentifier).join(', ')})) ` : ''}` +
        `SELECT ${merge.columns.map(quoteMysqlIdentifier).join(', ')} FROM ${target} WHERE 1 = 0`,
    );
    const { rows, counts } = await inTransaction(
      session,
      async () => {
        const rows = await loadInto(job, STAGING);
        let counts: MergeCounts;
        if (config.writeMode === 'delete_insert') counts = await deleteInsert(merge);
        else if (config.writeMode === 'scd2') {
          await refuseDuplicateKeys(merge, config.writeMode);
          counts = await scd2(merge, config.scd2Columns, new Date());
        } else counts = await upsertWithDeletes(merge);
        return { rows, counts };
      },
      job.ctx,
    );
    job.ctx.metric('rows_inserted', counts.inserted, { unit: 'rows' });
    job.ctx.metric('rows_updated', counts.updated, { unit: 'rows' });
    job.ctx.metric('rows_deleted', counts.deleted, { unit: 'rows' });
    await session.query.query(`DROP TEMPORARY TABLE IF EXISTS ${STAGING}`);
    return rows;
  } catch (error) {
    if (created) await dropQuietly(job, target);
    throw error;
  }
}

/**
 * MySQL commits DDL at once, so columns schema_change added (or widened) before the data
 * transaction are taken out again when the write fails: the table is left as it was. Best effort
 * on a fresh session when the step's is gone; a failure is logged, not thrown.
 */
async function undoSchemaQuietly(job: WriteJob, undo: SchemaUndo): Promise<void> {
  try {
    if (!job.ctx.signal.aborted) {
      try {
        await undo(job.session);
        return;
      } catch (error) {
        if (!isConnectionGone(error)) throw error;
      }
    }
    const session = await connectMysql(job.session.settings, { retry: { retries: 0 } });
    try {
      await undo(session);
    } finally {
      await session.close();
    }
  } catch (error) {
    job.ctx.log.warn('could not undo the schema change of a failed write', {
      table: `${job.schema}.${job.config.table}`,
      driver_code: errorCodeOf(error),
    });
  }
}

function helperTableName(table: string, purpose: 'new' | 'old'): string {
  const suffix = `__osiris_${purpose}_${randomBytes(4).toString('hex')}`;
  return `${table.slice(0, MYSQL_MAX_IDENTIFIER_LENGTH - suffix.length)}${suffix}`;
}

/**
 * A server-wide user lock per helper table, held by the writing session while the table exists.
 * The server releases it when that session ends however it ends (a killed run included), so a
 * helper table whose lock is free belongs to nobody. Lock names are at most 64 characters.
 */
export function helperLockName(schema: string, name: string): string {
  return `osiris_helper:${createHash('sha256').update(`${schema}.${name}`).digest('hex').slice(0, 40)}`;
}

async function lockHelperTable(job: WriteJob, name: string): Promise<void> {
  const [rows] = (await job.session.query.query('SELECT GET_LOCK(?, 0) AS got', [
    helperLockName(job.schema, name),
  ])) as unknown as [Array<{ got: unknown }>];
  if (Number(rows[0]?.got) !== 1) {
    throw writeFailed(
      `could not lock the helper table name ${name}`,
      'another session holds it; rerun the step',
    );
  }
}

/**
 * A run killed during a replace leaves its staging table (`<table>__osiris_new_…`, possibly large)
 * or the previous copy (`<table>__osiris_old_…`) behind. Before making its own, the writer drops
 * those whose lock no live session holds, and says so in an event; others belong to a live run.
 */
async function dropStaleHelperTables(job: WriteJob): Promise<void> {
  const prefix = job.config.table.slice(0, MYSQL_MAX_IDENTIFIER_LENGTH - '__osiris_new_00000000'.length);
  const like = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const [rows] = (await job.session.query.query(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = ? AND (TABLE_NAME LIKE ? OR TABLE_NAME LIKE ?)`,
    [job.schema, `${like(prefix)}\\_\\_osiris\\_new\\_%`, `${like(prefix)}\\_\\_osiris\\_old\\_%`],
  )) as unknown as [Array<{ name: unknown }>];
  for (const row of rows) {
    const name = String(row.name);
    if (!/__osiris_(new|old)_[0-9a-f]{8}$/.test(name)) continue;
    const [free] = (await job.session.query.query('SELECT IS_FREE_LOCK(?) AS free', [
      helperLockName(job.schema, name),
    ])) as unknown as [Array<{ free: unknown }>];
    if (Number(free[0]?.free) !== 1) continue;
    await job.session.query.query(`DROP TABLE IF EXISTS ${qualifiedTableName(name, job.schema)}`);
    job.ctx.log.event('stale_staging_dropped', {
      table: `${job.schema}.${name}`,
      reason: 'left by an interrupted run of a replace into this table',
    });
  }
}

/**
 * replace: load a staging table, then swap it in with one atomic RENAME TABLE, so readers see
 * the old rows or the new rows, never a mix, and a failure leaves the target untouched.
 * CREATE TABLE ... LIKE copies neither foreign keys nor triggers, and a rename would carry the
 * references of other tables over to the old copy, so a table with any of those is replaced in
 * place instead: DELETE + INSERT in one transaction (just as atomic, but it locks the rows).
 */
async function replace(job: WriteJob): Promise<number> {
  const { session, config, schema, existing } = job;
  const target = qualifiedTableName(config.table, schema);
  if (existing && existing.referencedBy + existing.foreignKeys + existing.triggers > 0) {
    job.ctx.log.debug('replacing rows in place: the table has foreign keys or triggers', {
      table: `${schema}.${config.table}`,
    });
    return inTransaction(
      session,
      async () => {
        await session.query.query(`DELETE FROM ${target}`);
        return loadInto(job, target);
      },
      job.ctx,
    );
  }
  const stagingName = helperTableName(config.table, 'new');
  const staging = qualifiedTableName(stagingName, schema);
  await lockHelperTable(job, stagingName);
  await dropStaleHelperTables(job);
  await session.query.query(
    existing
      ? `CREATE TABLE ${staging} LIKE ${target}`
      : createTableSql(staging, job.columns, config.primaryKey),
  );
  try {
    const rows = await inTransaction(session, () => loadInto(job, staging));
    // The swap is the commit (RENAME TABLE commits by itself): the staging table waits until then.
    await job.ctx.commitTogether?.ready();
    if (existing) {
      const oldName = helperTableName(config.table, 'old');
      const old = qualifiedTableName(oldName, schema);
      await lockHelperTable(job, oldName);
      await session.query.query(`RENAME TABLE ${target} TO ${old}, ${staging} TO ${target}`);
      // The new rows are in place: failing to drop the old copy must not fail the step.
      await dropQuietly(job, old);
    } else {
      await session.query.query(`RENAME TABLE ${staging} TO ${target}`);
      job.ctx.log.event('table_created', { table: `${schema}.${config.table}` });
    }
    return rows;
  } catch (error) {
    await dropQuietly(job, staging);
    throw error;
  }
}

/**
 * Best-effort cleanup of a table this step created. After an abort or a lost socket the step's
 * session is unusable, so a short-lived one is tried; a cleanup failure is logged, not thrown,
 * because the error that brought us here is the one the user needs.
 */
async function dropQuietly(job: WriteJob, qualifiedName: string): Promise<void> {
  const statement = `DROP TABLE IF EXISTS ${qualifiedName}`;
  try {
    if (!job.ctx.signal.aborted) {
      try {
        await job.session.query.query(statement);
        return;
      } catch (error) {
        if (!isConnectionGone(error)) throw error;
      }
    }
    const session = await connectMysql(job.session.settings, { retry: { retries: 0 } });
    try {
      await session.query.query(statement);
    } finally {
      await session.close();
    }
  } catch (error) {
    job.ctx.log.warn('could not drop a table left by a failed write', {
      table: qualifiedName,
      driver_code: errorCodeOf(error),
    });
  }
}

function isConnectionGone(error: unknown): boolean {
  const code = errorCodeOf(error);
  return (
    code === undefined || code.startsWith('PROTOCOL_') || (code.startsWith('E') && !code.startsWith('ER_'))
  );
}

async function maxStatementBytes(session: MysqlSession): Promise<number> {
  const [rows] = (await session.query.query('SELECT @@max_allowed_packet AS size')) as unknown as [
    Record<string, unknown>[],
  ];
  const packet = Number(rows[0]?.size ?? 4 * 1024 * 1024);
  return Math.max(64 * 1024, Math.min(MAX_STATEMENT_BYTES, packet - PACKET_MARGIN_BYTES));
}

function targetSchema(config: WriterConfig, settings: MysqlConnectionSettings): string {
  const schema = config.schema ?? settings.database;
  if (!schema) {
    throw new OsirisError(ErrorCodes.USAGE, `mysql.writer: no database to write ${config.table} into`, {
      hint: 'set `database` on the connection, or `schema` in the step config',
    });
  }
  return schema;
}

function hintFor(driverCode: string | undefined): string {
  switch (driverCode) {
    case 'ER_DUP_ENTRY':
      return 'A row repeats a key the table already has: use `write_mode: upsert`, or remove duplicates upstream. ';
    case 'ER_ROW_IS_REFERENCED':
    case 'ER_ROW_IS_REFERENCED_2':
      return 'Other tables reference rows that `replace` would delete: use `write_mode: upsert` instead. ';
    case 'ER_NO_REFERENCED_ROW':
    case 'ER_NO_REFERENCED_ROW_2':
      return 'A row points at a parent row that does not exist: load the parent table first. ';
    case 'ER_DATA_TOO_LONG':
    case 'ER_WARN_DATA_OUT_OF_RANGE':
    case 'ER_TRUNCATED_WRONG_VALUE':
    case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
      return "A value does not fit its column's type: widen the column or convert the value upstream. ";
    default:
      return '';
  }
}

async function runWriter(input: DriverRunInput): Promise<DriverResult> {
  const { ctx } = input;
  const config = parseWriterConfig(input.config);
  const upstream = singleInput(input.inputs, 'mysql.writer');
  const settings = resolveMysqlSettings(ctx.connection, input.config);
  const schema = targetSchema(config, settings);
  const inputColumns = await ctx.dataPlane.columns(upstream.table);
  const keys = new Set(config.primaryKey.map(lower));
  const columns = inputColumns.map((column) => targetColumn(column, keys.has(lower(column.name))));

  const session = await connectMysql(settings, {
    signal: ctx.signal,
    ...(ctx.connection ? { retry: resolveRetryPolicy(ctx.connection) } : {}),
    onRetry: reportRetry(ctx),
  });
  const stopWatchingAbort = destroyOnAbort(session, ctx.signal);
  try {
    await lockTarget(session, schema, config.table, config.lockTimeoutSeconds, ctx.signal);
    const existing = await describeTable(session, schema, config.table);
    checkTarget({ config, schema, inputTable: upstream.table, columns, existing });
    const reconciled = existing
      ? await reconcileMysqlSchema({
          session,
          ctx,
          schema,
          table: config.table,
          input: columns,
          target: existing.definitions,
          schemaChange: config.schemaChange,
        })
      : { input: columns };
    const job: WriteJob = {
      session,
      ctx,
      config,
      schema,
      inputTable: upstream.table,
      columns: reconciled.input,
      existing,
      maxStatementBytes: await maxStatementBytes(session),
      bytesSent: 0,
    };
    const merged =
      config.writeMode === 'delete_insert' ||
      config.writeMode === 'scd2' ||
      (config.writeMode === 'upsert' && config.deletedColumn !== undefined);
    let rows: number;
    try {
      rows =
        config.writeMode === 'replace'
          ? await replace(job)
          : merged
            ? await mergeThroughStaging(job)
            : await appendOrUpsert(job);
    } catch (error) {
      if (reconciled.undo) await undoSchemaQuietly(job, reconciled.undo);
      throw error;
    }
    await session.close();
    ctx.metric('bytes_written', job.bytesSent, { unit: 'bytes' });
    return { rows };
  } catch (error) {
    session.destroy();
    if (ctx.signal.aborted) throw cancelled();
    if (isLockWaitTimeout(errorCodeOf(error))) {
      throw new OsirisError(
        ErrorCodes.TARGET_LOCKED,
        `${settings.ref}: another session holds a lock on ${schema}.${config.table}; gave up after waiting ${statementLockWaitSeconds(session, config.lockTimeoutSeconds)} s`,
        {
          hint:
            'A query or transaction outside this run keeps the table (SHOW PROCESSLIST on the server). Let it ' +
            'finish, or raise `lock_timeout` (seconds) on this step. Nothing was committed.',
          details: {
            ref: settings.ref,
            table: `${schema}.${config.table}`,
            lock_timeout: config.lockTimeoutSeconds,
          },
          retryable: true,
        },
      );
    }
    throw statementError(
      ErrorCodes.WRITE_FAILED,
      `writing ${schema}.${config.table} failed`,
      error,
      settings,
      `${hintFor(errorCodeOf(error))}Nothing was committed: the table is as it was before this step.`,
    );
  } finally {
    stopWatchingAbort();
  }
}

export const driver: Driver = { run: runWriter };
