import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { type Scd2Columns, TRUE_FLAG_TEXTS } from '../shared/write-strategy.js';
import type { MysqlSession } from './client.js';
import { quoteMysqlIdentifier } from './extract-query.js';

/** What a merge from the staging table did to the target. */
export interface MergeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface MysqlMerge {
  session: MysqlSession;
  /** Qualified, quoted target table. */
  target: string;
  /** Quoted temporary staging table holding the input rows (same column names). */
  staging: string;
  /** Column names written from the input, in order. */
  columns: readonly string[];
  keys: readonly string[];
  deleted?: string;
}

type Result = { affectedRows?: number };

const list = (names: readonly string[], prefix = '') =>
  names.map((name) => `${prefix}${quoteMysqlIdentifier(name)}`).join(', ');

const keyMatch = (keys: readonly string[]) =>
  keys.map((key) => `t.${quoteMysqlIdentifier(key)} = s.${quoteMysqlIdentifier(key)}`).join(' AND ');

/** SQL true when the staging row `s` is flagged deleted (true, 1, "yes", ...); NULL counts as false. */
function isDeleted(deleted: string | undefined): string {
  if (!deleted) return 'FALSE';
  const texts = TRUE_FLAG_TEXTS.map((text) => `'${text}'`).join(', ');
  return `COALESCE(LOWER(CAST(s.${quoteMysqlIdentifier(deleted)} AS CHAR)) IN (${texts}), FALSE)`;
}

async function affected(session: MysqlSession, sql: string, values: unknown[] = []): Promise<number> {
  const [result] = (await session.query.query(sql, values)) as unknown as [Result];
  return Number(result.affectedRows ?? 0);
}

async function deleteMatching(merge: MysqlMerge, where: string): Promise<number> {
  return affected(
    merge.session,
    `DELETE t FROM ${merge.target} t JOIN ${merge.staging} s ON ${keyMatch(merge.keys)} WHERE ${where}`,
  );
}

/** A repeated key in the input would give two current versions (scd2). */
export async function refuseDuplicateKeys(merge: MysqlMerge, mode: string): Promise<void> {
  const keys = list(merge.keys);
  const [rows] = (await merge.session.query.query(
    `SELECT ${keys}, COUNT(*) AS osiris_count FROM ${merge.staging} GROUP BY ${keys} HAVING COUNT(*) > 1 LIMIT 1`,
  )) as unknown as [Array<Record<string, unknown>>];
  const row = rows[0];
  if (!row) return;
  const key = merge.keys.map((name) => `${name}=${String(row[name])}`).join(', ');
  throw new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `mysql.writer: write_mode ${mode} got ${String(row.osiris_count)} input rows with the same primary_key (${key})`,
    {
      hint: 'Keep one row per key upstream, e.g. a duckdb.processor with QUALIFY row_number() OVER (PARTITION BY key ORDER BY updated_at DESC) = 1.',
      details: { primary_key: merge.keys },
    },
  );
}

export async function deleteInsert(merge: MysqlMerge): Promise<MergeCounts> {
  const deleted = await deleteMatching(merge, 'TRUE');
  const inserted = await affected(
    merge.session,
    `INSERT INTO ${merge.target} (${list(merge.columns)}) SELECT ${list(merge.columns, 's.')} FROM ${merge.staging} s WHERE NOT ${isDeleted(merge.deleted)}`,
  );
  return { inserted, updated: 0, deleted };
}

/** upsert with deleted_column: flagged keys are deleted, the other rows upserted. */
export async function upsertWithDeletes(merge: MysqlMerge): Promise<MergeCounts> {
  const deleted = await deleteMatching(merge, isDeleted(merge.deleted));
  const updates = merge.columns.filter((name) => !merge.keys.includes(name));
  const firstKey = quoteMysqlIdentifier(merge.keys[0]!);
  const assignments =
    updates.length > 0
      ? updates
          .map((name) => `${quoteMysqlIdentifier(name)} = VALUES(${quoteMysqlIdentifier(name)})`)
          .join(', ')
      : `${firstKey} = ${firstKey}`;
  const total = await merge.session.query.query(
    `INSERT INTO ${merge.target} (${list(merge.columns)}) SELECT ${list(merge.columns, 's.')} FROM ${merge.staging} s ` +
      `WHERE NOT ${isDeleted(merge.deleted)} ON DUPLICATE KEY UPDATE ${assignments}`,
  );
  // affectedRows counts 1 per new row and 2 per changed row (MySQL's documented convention).
  const [result] = total as unknown as [Result & { info?: string }];
  const [counted] = (await merge.session.query.query(
    `SELECT COUNT(*) AS n FROM ${merge.staging} s WHERE NOT ${isDeleted(merge.deleted)}`,
  )) as unknown as [Array<{ n: unknown }>];
  const rows = Number(counted[0]?.n ?? 0);
  const changed = Math.max(0, Number(result.affectedRows ?? 0) - rows);
  return { inserted: rows - changed, updated: changed, deleted };
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, for a DATETIME(6). */
export function mysqlDatetime(date: Date): string {
  return `${date.toISOString().replace('T', ' ').replace('Z', '')}000`;
}

/** scd2 over a MySQL history table: as postgres (write-strategies.ts), with MD5(JSON_ARRAY(...)) as row hash. */
export async function scd2(merge: MysqlMerge, history: Scd2Columns, validFrom: Date): Promise<MergeCounts> {
  const tracked = merge.columns.filter((name) => name !== merge.deleted);
  const hash = `MD5(JSON_ARRAY(${list(tracked, 's.')}))`;
  const current = `t.${quoteMysqlIdentifier(history.isCurrent)}`;
  const at = mysqlDatetime(validFrom);
  const closed = await affected(
    merge.session,
    `UPDATE ${merge.target} t JOIN ${merge.staging} s ON ${keyMatch(merge.keys)} ` +
      `SET t.${quoteMysqlIdentifier(history.validTo)} = ?, ${current} = 0 ` +
      `WHERE ${current} = 1 AND (${isDeleted(merge.deleted)} OR NOT (t.${quoteMysqlIdentifier(history.rowHash)} <=> ${hash}))`,
    [at],
  );
  const added = await affected(
    merge.session,
    `INSERT INTO ${merge.target} (${list([...merge.columns, history.validFrom, history.validTo, history.isCurrent, history.rowHash])}) ` +
      `SELECT ${list(merge.columns, 's.')}, ?, NULL, 1, ${hash} FROM ${merge.staging} s ` +
      `WHERE NOT ${isDeleted(merge.deleted)} AND NOT EXISTS (SELECT 1 FROM ${merge.target} t WHERE ${keyMatch(merge.keys)} AND ${current} = 1)`,
    [at],
  );
  return { inserted: added, updated: closed, deleted: 0 };
}
