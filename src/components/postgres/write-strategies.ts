import type pg from 'pg';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { type Scd2Columns, TRUE_FLAG_TEXTS } from '../shared/write-strategy.js';
import { quoteIdentifier } from './identifiers.js';

/** What a merge from the staging table did to the target. */
export interface MergeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export interface MergeTarget {
  client: pg.Client;
  /** Qualified, quoted target table. */
  target: string;
  /** Quoted staging table (same column names as the target's written columns). */
  staging: string;
  /** Target column names written from the input, in order. */
  columns: readonly string[];
  /** Target column names of primary_key. */
  keys: readonly string[];
  /** Target column name of deleted_column, when given. */
  deleted?: string;
}

const list = (names: readonly string[], prefix = '') =>
  names.map((name) => `${prefix}${quoteIdentifier(name)}`).join(', ');

function keyMatch(keys: readonly string[]): string {
  return keys.map((key) => `t.${quoteIdentifier(key)} = s.${quoteIdentifier(key)}`).join(' AND ');
}

/** SQL true when the staging row `s` is flagged deleted (true, 1, "yes", ...); NULL counts as false. */
function isDeleted(deleted: string | undefined): string {
  if (!deleted) return 'false';
  const texts = TRUE_FLAG_TEXTS.map((text) => `'${text}'`).join(', ');
  return `coalesce(lower(CAST(s.${quoteIdentifier(deleted)} AS text)) IN (${texts}), false)`;
}

/** Rows of the target whose key appears among the staging rows selected by `where`. */
async function deleteMatching(merge: MergeTarget, where: string): Promise<number> {
  const result = await merge.client.query(
    `DELETE FROM ${merge.target} t USING ${merge.staging} s WHERE ${keyMatch(merge.keys)} AND ${where}`,
  );
  return result.rowCount ?? 0;
}

/** A repeated key in the input would make two current versions (scd2) or a duplicate row. */
export async function refuseDuplicateKeys(merge: MergeTarget, ref: string, mode: string): Promise<void> {
  const keys = list(merge.keys);
  const found = await merge.client.query<Record<string, unknown>>(
    `SELECT ${keys}, count(*)::int AS osiris_count FROM ${merge.staging} GROUP BY ${keys} HAVING count(*) > 1 LIMIT 1`,
  );
  const row = found.rows[0];
  if (!row) return;
  const key = merge.keys.map((name) => `${name}=${String(row[name])}`).join(', ');
  throw new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `${ref}: write_mode ${mode} got ${String(row.osiris_count)} input rows with the same primary_key (${key})`,
    {
      hint: 'Keep one row per key upstream, e.g. a duckdb.processor with QUALIFY row_number() OVER (PARTITION BY key ORDER BY updated_at DESC) = 1.',
      details: { primary_key: merge.keys },
    },
  );
}

/** delete_insert: delete every target row whose key is in the input, then insert the rows not flagged deleted. */
export async function deleteInsert(merge: MergeTarget): Promise<MergeCounts> {
  const deleted = await deleteMatching(merge, 'true');
  const inserted = await merge.client.query(
    `INSERT INTO ${merge.target} (${list(merge.columns)}) SELECT ${list(merge.columns, 's.')} FROM ${merge.staging} s WHERE NOT ${isDeleted(merge.deleted)}`,
  );
  const insertedRows = inserted.rowCount ?? 0;
  return { inserted: insertedRows, updated: 0, deleted };
}

/**
 * upsert: flagged rows delete their key; the others go through INSERT … ON CONFLICT (key) DO
 * UPDATE, counting new rows apart from updated ones (`xmax = 0` marks a fresh tuple) without
 * sending any row back. With every column in the key there is nothing to update: DO NOTHING.
 */
export async function upsert(merge: MergeTarget): Promise<MergeCounts> {
  const deleted = merge.deleted ? await deleteMatching(merge, isDeleted(merge.deleted)) : 0;
  const updates = merge.columns.filter((name) => !merge.keys.includes(name));
  const action =
    updates.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updates.map((name) => `${quoteIdentifier(name)} = EXCLUDED.${quoteIdentifier(name)}`).join(', ')}`;
  const counts = await merge.client.query<{ inserted: string; total: string }>(
    `WITH upserted AS (INSERT INTO ${merge.target} (${list(merge.columns)}) ` +
      `SELECT ${list(merge.columns, 's.')} FROM ${merge.staging} s WHERE NOT ${isDeleted(merge.deleted)} ` +
      `ON CONFLICT (${list(merge.keys)}) ${action} RETURNING (xmax = 0) AS inserted) ` +
      'SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) AS total FROM upserted',
  );
  const inserted = Number(counts.rows[0]?.inserted ?? 0);
  return { inserted, updated: Number(counts.rows[0]?.total ?? 0) - inserted, deleted };
}

/**
 * scd2: the target is a history table. A key whose current version differs from the input row
 * (by row hash over the written columns but the deleted flag), or that is flagged deleted, has
 * its current version closed (`valid_to` = `validFrom`, not current); every input row not
 * flagged and without an unchanged current version is added as the new current version. Keys
 * absent from the input are left alone (an incremental run sees only what changed).
 */
export async function scd2(merge: MergeTarget, history: Scd2Columns, validFrom: Date): Promise<MergeCounts> {
  const tracked = merge.columns.filter((name) => name !== merge.deleted);
  const hash = `md5(CAST(ROW(${list(tracked, 's.')}) AS text))`;
  const current = `t.${quoteIdentifier(history.isCurrent)}`;
  const closed = await merge.client.query(
    `UPDATE ${merge.target} t SET ${quoteIdentifier(history.validTo)} = $1::timestamptz, ${quoteIdentifier(history.isCurrent)} = false ` +
      `FROM ${merge.staging} s WHERE ${keyMatch(merge.keys)} AND ${current} ` +
      `AND (${isDeleted(merge.deleted)} OR t.${quoteIdentifier(history.rowHash)} IS DISTINCT FROM ${hash})`,
    [validFrom.toISOString()],
  );
  const added = await merge.client.query(
    `INSERT INTO ${merge.target} (${list([...merge.columns, history.validFrom, history.validTo, history.isCurrent, history.rowHash])}) ` +
      `SELECT ${list(merge.columns, 's.')}, $1::timestamptz, NULL, true, ${hash} FROM ${merge.staging} s ` +
      `WHERE NOT ${isDeleted(merge.deleted)} AND NOT EXISTS (SELECT 1 FROM ${merge.target} t WHERE ${keyMatch(merge.keys)} AND ${current})`,
    [validFrom.toISOString()],
  );
  const closedRows = closed.rowCount ?? 0;
  const addedRows = added.rowCount ?? 0;
  return { inserted: addedRows, updated: closedRows, deleted: 0 };
}
