import type { FieldPacket } from 'mysql2';
import { jsonSafeValue } from '../../../discovery/json-safe-value.js';
import type {
  DiscoveryConnection,
  OpenSessionOptions,
  QueryLimits,
  ReadonlySession,
} from '../../../discovery/readonly-session.js';
import {
  abortable,
  queryCancelled,
  readOnlyViolation,
  statementTimeout,
} from '../../../discovery/sessions/session-errors.js';
import { writesServerFile } from '../../../discovery/sessions/statement-text.js';
import { backtick, type SqlDialect } from '../../../discovery/sql-dialect.js';
import type { QueryResult } from '../../../discovery/types.js';
import { rowObjects, uniqueColumnNames } from '../../../discovery/unique-column-names.js';
import type { ResolvedConnection } from '../../../spec/connection.js';
import { ErrorCodes } from '../../../spec/errors.js';
import { connectMysql, destroyOnAbort, type MysqlSession } from '../client.js';
import { type MysqlConnectionSettings, resolveMysqlSettings } from '../connection-settings.js';
import { errorCodeOf, statementError } from '../mysql-errors.js';
import { readMysqlCatalog } from './mysql-catalog.js';
import { mysqlResultType } from './mysql-result-type.js';

/** Case-insensitivity comes from the column's collation (the usual `_ci` ones); `\` escapes by default. */
const mysqlDialect: SqlDialect = {
  quoteIdentifier: backtick,
  placeholder: () => '?',
  containsText: (column, placeholder) => `${column} LIKE ${placeholder}`,
};

/** Server errors that mean "this statement would write". */
const READ_ONLY_ERRORS = new Set([
  'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_READ_ONLY_MODE',
]);
/** MariaDB's max_statement_time (1969) and MySQL's max_execution_time (3024). */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

interface LiveConnection {
  session: MysqlSession;
  /** The statement timeout the session is set to. */
  timeoutMs?: number;
  stopAbort: () => void;
}

/**
 * Discovery over MySQL/MariaDB through the mysql component's client. The session defaults to
 * read-only transactions and each statement also runs inside `START TRANSACTION READ ONLY`, so
 * the server itself refuses any write, DDL included.
 */
export async function openMysqlDiscovery(
  connection: ResolvedConnection,
  options: OpenSessionOptions,
): Promise<DiscoveryConnection> {
  const settings = resolveMysqlSettings(connection, {});
  const open = () => connectReadOnly(settings, options.signal);
  const first = await open();
  const session = new MysqlReadonlySession(settings, first.session, first.version, open, options);
  return { session, readCatalog: (filter) => readMysqlCatalog(session, filter) };
}

async function connectReadOnly(
  settings: MysqlConnectionSettings,
  signal: AbortSignal | undefined,
): Promise<{ session: MysqlSession; version: string }> {
  const session = await connectMysql(settings, { ...(signal ? { signal } : {}), retry: { retries: 1 } });
  try {
    await session.query.query('SET SESSION TRANSACTION READ ONLY');
    const [rows] = await session.query.query('SELECT VERSION() AS version');
    const version = String((rows as { version?: unknown }[])[0]?.version ?? '');
    return { session, version };
  } catch (error) {
    session.destroy();
    throw statementError(ErrorCodes.DISCOVERY_FAILED, 'preparing a read-only session', error, settings);
  }
}

class MysqlReadonlySession implements ReadonlySession {
  readonly dialect = mysqlDialect;
  readonly serverVersion: string;
  readonly #settings: MysqlConnectionSettings;
  readonly #open: () => Promise<{ session: MysqlSession; version: string }>;
  readonly #options: OpenSessionOptions;
  readonly #isMariaDb: boolean;
  #current: LiveConnection | undefined;

  constructor(
    settings: MysqlConnectionSettings,
    session: MysqlSession,
    version: string,
    open: () => Promise<{ session: MysqlSession; version: string }>,
    options: OpenSessionOptions,
  ) {
    this.#settings = settings;
    this.#open = open;
    this.#options = options;
    this.#isMariaDb = /mariadb/i.test(version);
    this.serverVersion = `${this.#isMariaDb ? 'MariaDB' : 'MySQL'} ${version.split('-')[0]}`;
    this.#adopt(session);
  }

  async query(sql: string, parameters: readonly unknown[], limits: QueryLimits): Promise<QueryResult> {
    const signal = this.#options.signal;
    if (signal?.aborted) throw queryCancelled(this.#settings.ref);
    const timeoutMs = limits.timeoutMs ?? this.#options.statementTimeoutMs;
    if (writesServerFile(sql)) {
      throw readOnlyViolation(
        this.#settings.ref,
        'SELECT … INTO OUTFILE/DUMPFILE writes a file on the server',
      );
    }
    const current = await this.#connection();
    try {
      await this.#applyTimeout(current, timeoutMs);
      await current.session.query.query('START TRANSACTION READ ONLY');
      const result = await abortable(
        this.#read(current.session, sql, parameters, limits.maxRows),
        this.#options.signal,
        () => queryCancelled(this.#settings.ref),
      );
      if (this.#current === current) await current.session.query.query('ROLLBACK');
      return result;
    } catch (error) {
      await this.#recover(current, error);
      throw this.#error(error, timeoutMs);
    }
  }

  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (current) {
      current.stopAbort();
      await current.session.close();
    }
  }

  #adopt(session: MysqlSession): LiveConnection {
    const signal = this.#options.signal;
    const stopAbort = signal ? destroyOnAbort(session, signal) : () => undefined;
    this.#current = { session, stopAbort };
    return this.#current;
  }

  /** A statement cut short by the row cap, or a failure, leaves the socket unusable: open a fresh one. */
  async #connection(): Promise<LiveConnection> {
    if (this.#current) return this.#current;
    const { session } = await this.#open();
    return this.#adopt(session);
  }

  /** After a statement error the session is still good once rolled back; after a lost socket it is not. */
  async #recover(current: LiveConnection, error: unknown): Promise<void> {
    if (this.#current !== current) return;
    const socketLost = (error as { fatal?: unknown } | null)?.fatal === true || this.#options.signal?.aborted;
    if (!socketLost) {
      try {
        await current.session.query.query('ROLLBACK');
        return;
      } catch {
        // The rollback failing means the socket is gone: fall through and drop it.
      }
    }
    this.#discard(current);
  }

  #discard(current: LiveConnection): void {
    if (this.#current !== current) return;
    this.#current = undefined;
    current.stopAbort();
    current.session.destroy();
  }

  async #applyTimeout(current: LiveConnection, timeoutMs: number): Promise<void> {
    if (current.timeoutMs === timeoutMs) return;
    const statement = this.#isMariaDb
      ? `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`
      : `SET SESSION max_execution_time = ${Math.round(timeoutMs)}`;
    await current.session.query.query(statement);
    current.timeoutMs = timeoutMs;
  }

  /** Streams rows and stops at the cap: past it the connection is dropped rather than drained. */
  #read(
    session: MysqlSession,
    sql: string,
    parameters: readonly unknown[],
    maxRows: number,
  ): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      let fields: FieldPacket[] = [];
      const rows: unknown[][] = [];
      let settled = false;
      // mysql2 neither ends nor fails a statement whose connection died: only the connection says so.
      const stopWatchingLoss = session.onLost((error) => {
        if (settled) return;
        settled = true;
        reject(error);
      });
      const finish = (truncated: boolean) => {
        if (settled) return;
        settled = true;
        stopWatchingLoss();
        const names = uniqueColumnNames(fields.map((field) => field.name));
        resolve({
          columns: fields.map((field, index) => ({ name: names[index]!, type: mysqlResultType(field) })),
          rows: rowObjects(names, rows, jsonSafeValue),
          truncated,
        });
      };
      const query = session.raw.query({ sql, values: [...parameters] as unknown[], rowsAsArray: true });
      query.on('fields', (received: FieldPacket[]) => {
        if (fields.length === 0) fields = received;
      });
      query.on('result', (row: unknown) => {
        // Statements without a result set report an OK packet here, not a row.
        if (!Array.isArray(row) || settled) return;
        if (rows.length < maxRows) {
          rows.push(row);
          return;
        }
        finish(true);
        this.#discardSession(session);
      });
      query.on('error', (error: unknown) => {
        if (settled) return;
        settled = true;
        stopWatchingLoss();
        reject(error);
      });
      query.on('end', () => finish(false));
    });
  }

  #discardSession(session: MysqlSession): void {
    if (this.#current?.session === session) this.#discard(this.#current);
  }

  #error(error: unknown, timeoutMs: number) {
    const ref = this.#settings.ref;
    if (this.#options.signal?.aborted) return queryCancelled(ref);
    const code = errorCodeOf(error);
    const errno = (error as { errno?: unknown } | null)?.errno;
    if (code && READ_ONLY_ERRORS.has(code)) {
      return readOnlyViolation(ref, (error as Error).message, error);
    }
    if (typeof errno === 'number' && TIMEOUT_ERRNOS.has(errno))
      return statementTimeout(ref, timeoutMs, error);
    return statementError(ErrorCodes.QUERY_FAILED, 'the query failed', error, this.#settings);
  }
}
