import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { messageOf, throwIfCancelled } from '../../runtime/data-plane/step-connection.js';
import type { ColumnInfo, Driver } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import { projectRelativePath } from '../../util/project-path.js';
import { resolveSourceFile } from '../duckdb/source-file.js';
import { chooseColumnType, uniqueColumnNames } from './column-types.js';

const COMPONENT = 'sqlite.extractor';
const BATCH_ROWS = 2_000;
const MAX_TABLES_IN_HINT = 30;

/**
 * sqlite.extractor: opens the file read-only with better-sqlite3 and streams the result
 * (`iterate()`) into the data plane in batches. DuckDB's sqlite extension is not built in and
 * nothing is downloaded at run time, so the rows pass through JS.
 */
export const driver: Driver = {
  async run({ stepId, config, ctx }) {
    const file = await resolveSourceFile(ctx, config, COMPONENT);
    const shownPath = projectRelativePath(ctx.projectDir, file);
    const base =
      typeof config.query === 'string'
        ? config.query.trim().replace(/;\s*$/, '')
        : `SELECT * FROM ${quoteSqliteName(String(config.table))}`;
    const database = openReadOnly(file, shownPath);
    let rowIterator: IterableIterator<unknown[]> | undefined;
    try {
      const { sql, values } = ctx.incremental
        ? incrementalSql(prepare(database, base, shownPath), base, ctx.incremental)
        : { sql: base, values: [] };
      const statement = prepare(database, sql, shownPath);
      statement.raw(true).safeIntegers(true);
      rowIterator = statement.iterate(...values) as IterableIterator<unknown[]>;
      const rowsOfQuery = rowIterator;
      const firstBatch = takeBatch(rowsOfQuery, shownPath);
      const declared = statement.columns();
      const names = uniqueColumnNames(declared.map((column) => column.name));
      const columns: ColumnInfo[] = declared.map((column, index) => ({
        name: names[index]!,
        type: chooseColumnType(
          column.type,
          firstBatch.map((row) => row[index]),
        ),
      }));
      async function* batches(): AsyncGenerator<unknown[][]> {
        let batch = firstBatch;
        while (batch.length > 0) {
          throwIfCancelled(ctx.signal);
          yield batch;
          // better-sqlite3 is synchronous: give timers and signals a turn between batches.
          await nextTurn();
          batch = takeBatch(rowsOfQuery, shownPath);
        }
      }
      const output = ctx.dataPlane.tableFor(stepId);
      const rows = await ctx.dataPlane.appendRows(output, columns, batches(), (count) => ctx.progress(count));
      throwIfCancelled(ctx.signal);
      return { table: output, rows };
    } finally {
      // An unfinished iterator keeps the connection busy, and close() would refuse.
      rowIterator?.return?.();
      database.close();
    }
  },
};

/**
 * The query narrowed to an incremental window: wrapped as a subquery, the bounds bound as
 * parameters (integers as integers, so SQLite compares them as numbers). The cursor column is
 * checked against the prepared statement's columns first, before any row is read.
 */
function incrementalSql(
  prepared: Database.Statement,
  base: string,
  window: IncrementalWindow,
): { sql: string; values: unknown[] } {
  const names = prepared.columns().map((column) => column.name);
  const cursor =
    names.find((name) => name === window.cursor) ??
    names.find((name) => name.toLowerCase() === window.cursor.toLowerCase());
  if (cursor === undefined) {
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `${COMPONENT}: the cursor column \`${window.cursor}\` is not in the source's result (columns: ${names.join(', ')})`,
      {
        hint: 'set `incremental.cursor` to a column the table or query returns (a timestamp such as updated_at, a date or an increasing integer id)',
      },
    );
  }
  const column = `"${cursor.replaceAll('"', '""')}"`;
  const parts: string[] = [];
  const values: unknown[] = [];
  const bind = (value: string) =>
    window.kind === 'integer' && /^-?\d+$/.test(value) ? BigInt(value) : value;
  if (window.from !== undefined) {
    parts.push(`${column} >= ?`);
    values.push(bind(window.from));
  }
  if (window.to !== undefined) {
    parts.push(`${column} < ?`);
    values.push(bind(window.to));
  }
  if (parts.length === 0) return { sql: base, values };
  return { sql: `SELECT * FROM (${base}) AS osiris_incremental WHERE ${parts.join(' AND ')}`, values };
}

function openReadOnly(file: string, shownPath: string): Database.Database {
  let database: Database.Database | undefined;
  try {
    database = new Database(file, { readonly: true, fileMustExist: true });
    // Opening is lazy: reading the schema version makes a non-SQLite file fail here, clearly.
    database.pragma('schema_version');
    return database;
  } catch (error) {
    database?.close();
    throw new OsirisError(
      ErrorCodes.SOURCE_READ_FAILED,
      `Cannot open ${shownPath} as a SQLite database: ${messageOf(error)}`,
      {
        hint: 'The file must be a SQLite database (for DuckDB files use duckdb.extractor).',
        cause: error,
      },
    );
  }
}

function prepare(database: Database.Database, sql: string, shownPath: string): Database.Statement {
  let statement: Database.Statement;
  try {
    statement = database.prepare(sql);
  } catch (error) {
    throw new OsirisError(ErrorCodes.QUERY_FAILED, messageOf(error), {
      hint: tablesHint(database),
      details: { path: shownPath },
      cause: error,
    });
  }
  if (!statement.reader) {
    throw new OsirisError(
      ErrorCodes.QUERY_FAILED,
      `${COMPONENT} runs queries that return rows; this one does not.`,
      {
        hint: 'Use a SELECT statement.',
      },
    );
  }
  return statement;
}

function takeBatch(rowIterator: IterableIterator<unknown[]>, shownPath: string): unknown[][] {
  const batch: unknown[][] = [];
  try {
    for (let next = rowIterator.next(); !next.done; next = rowIterator.next()) {
      batch.push(next.value);
      if (batch.length === BATCH_ROWS) break;
    }
  } catch (error) {
    throw new OsirisError(ErrorCodes.SOURCE_READ_FAILED, `Reading ${shownPath} failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return batch;
}

function tablesHint(database: Database.Database): string {
  const names = (
    database
      .prepare(
        `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT ${MAX_TABLES_IN_HINT + 1}`,
      )
      .pluck()
      .all() as string[]
  ).slice(0, MAX_TABLES_IN_HINT);
  return names.length === 0 ? 'The database file has no tables.' : `Tables in the file: ${names.join(', ')}.`;
}

/** `main.movies` → `"main"."movies"`. */
function quoteSqliteName(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}
