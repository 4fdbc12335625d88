import Database from 'better-sqlite3';
import { databaseFilePath } from '../../../connections/database-file-path.js';
import { jsonSafeValue } from '../../../discovery/json-safe-value.js';
import type {
  DiscoveryConnection,
  OpenSessionOptions,
  QueryLimits,
  ReadonlySession,
} from '../../../discovery/readonly-session.js';
import { messageOf, queryCancelled, readOnlyViolation } from '../../../discovery/sessions/session-errors.js';
import { doubleQuote, type SqlDialect } from '../../../discovery/sql-dialect.js';
import type { QueryResult } from '../../../discovery/types.js';
import { rowObjects, uniqueColumnNames } from '../../../discovery/unique-column-names.js';
import type { ResolvedConnection } from '../../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../../spec/errors.js';
import { readSqliteCatalog } from './sqlite-catalog.js';

/** SQLite's LIKE ignores ASCII case already. */
const sqliteDialect: SqlDialect = {
  quoteIdentifier: doubleQuote,
  placeholder: () => '?',
  containsText: (column, placeholder) => `${column} LIKE ${placeholder} ESCAPE '\\'`,
};

/** A `@sqlite.alias` connection: its `path` (relative to the project) opened read-only. */
export async function openSqliteDiscovery(
  connection: ResolvedConnection,
  projectDir: string,
  options: OpenSessionOptions,
): Promise<DiscoveryConnection> {
  const file = databaseFilePath(connection, projectDir);
  let database: Database.Database;
  try {
    database = new Database(file, { readonly: true, fileMustExist: true });
    database.pragma('query_only = ON');
  } catch (error) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${connection.ref}: cannot open ${file} with SQLite: ${messageOf(error)}`,
      {
        hint: 'check that the file is a SQLite database',
        details: { ref: connection.ref, file },
        cause: error,
      },
    );
  }
  const session = new SqliteReadonlySession(connection.ref, database, options);
  return { session, readCatalog: (filter) => readSqliteCatalog(session, filter) };
}

/**
 * SQLite opened read-only with `query_only` on; a statement SQLite itself does not mark
 * read-only is refused before it runs. better-sqlite3 is synchronous, so a statement cannot be
 * interrupted by a timer: the row cap bounds what a query returns, not how long it runs.
 */
class SqliteReadonlySession implements ReadonlySession {
  readonly dialect = sqliteDialect;
  readonly serverVersion: string;
  readonly #ref: string;
  readonly #database: Database.Database;
  readonly #options: OpenSessionOptions;

  constructor(ref: string, database: Database.Database, options: OpenSessionOptions) {
    this.#ref = ref;
    this.#database = database;
    this.#options = options;
    const version = database.prepare('SELECT sqlite_version() AS version').get() as
      | { version?: string }
      | undefined;
    this.serverVersion = `SQLite ${version?.version ?? ''}`.trim();
  }

  async query(sql: string, parameters: readonly unknown[], limits: QueryLimits): Promise<QueryResult> {
    if (this.#options.signal?.aborted) throw queryCancelled(this.#ref);
    try {
      const statement = this.#database.prepare(sql);
      if (!statement.readonly)
        throw readOnlyViolation(this.#ref, 'SQLite reports that this statement writes');
      if (!statement.reader) return { columns: [], rows: [], truncated: false };
      statement.raw(true).safeIntegers(true);
      const names = uniqueColumnNames(statement.columns().map((column) => column.name));
      const declared = statement.columns().map((column) => column.type);
      const rows: unknown[][] = [];
      let truncated = false;
      for (const row of statement.iterate(...parameters.map(sqliteValue)) as IterableIterator<unknown[]>) {
        if (rows.length === limits.maxRows) {
          truncated = true;
          break;
        }
        rows.push(row);
      }
      return {
        columns: names.map((name, index) => ({ name, type: declared[index] ?? valueType(rows, index) })),
        rows: rowObjects(names, rows, sqliteResultValue),
        truncated,
      };
    } catch (error) {
      if (error instanceof OsirisError) throw error;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) {
        throw readOnlyViolation(this.#ref, messageOf(error), error);
      }
      throw new OsirisError(ErrorCodes.QUERY_FAILED, `${this.#ref}: the query failed: ${messageOf(error)}`, {
        details: { ref: this.#ref, ...(typeof code === 'string' ? { driver_code: code } : {}) },
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    if (this.#database.open) this.#database.close();
  }
}

/** Integers arrive as bigint (so none lose precision); those that fit a double become numbers. */
function sqliteResultValue(value: unknown): unknown {
  if (
    typeof value === 'bigint' &&
    value >= BigInt(Number.MIN_SAFE_INTEGER) &&
    value <= BigInt(Number.MAX_SAFE_INTEGER)
  ) {
    return Number(value);
  }
  return jsonSafeValue(value);
}

function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}

/** An expression column has no declared type: name the storage class of its first value. */
function valueType(rows: readonly unknown[][], index: number): string {
  const value = rows.find((row) => row[index] !== null && row[index] !== undefined)?.[index];
  if (typeof value === 'bigint') return 'INTEGER';
  if (typeof value === 'number') return 'REAL';
  if (typeof value === 'string') return 'TEXT';
  if (value instanceof Uint8Array) return 'BLOB';
  return 'NULL';
}
