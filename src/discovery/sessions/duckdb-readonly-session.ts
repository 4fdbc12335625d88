import { type DuckDBConnection, DuckDBInstance, type DuckDBValue, StatementType } from '@duckdb/node-api';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { jsonSafeValue } from '../json-safe-value.js';
import type { OpenSessionOptions, QueryLimits, ReadonlySession } from '../readonly-session.js';
import { duckdbDialect } from '../sql-dialect.js';
import type { QueryResult } from '../types.js';
import { rowObjects, uniqueColumnNames } from '../unique-column-names.js';
import { messageOf, queryCancelled, readOnlyViolation, statementTimeout } from './session-errors.js';
import { leadingKeyword } from './statement-text.js';

/** Statement kinds that only read. DESCRIBE, SHOW, SUMMARIZE and PRAGMA lookups parse as SELECT. */
const READING_STATEMENTS = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

/** Statements that would change a database or a file, by their first keyword. */
const WRITING_KEYWORDS = new Set([
  'ALTER',
  'ATTACH',
  'CHECKPOINT',
  'COPY',
  'CREATE',
  'DELETE',
  'DETACH',
  'DROP',
  'EXPORT',
  'IMPORT',
  'INSERT',
  'INSTALL',
  'LOAD',
  'MERGE',
  'TRUNCATE',
  'UPDATE',
  'VACUUM',
]);

export interface DuckdbSessionSetup {
  /** `@family.alias`, for messages. */
  ref: string;
  /** Database file opened read-only, or undefined for an in-memory database. */
  file?: string;
  /** Runs before the configuration is locked (e.g. creating views over CSV files). */
  prepare?: (connection: DuckDBConnection) => Promise<void>;
  /** Folders queries may still read once file access is otherwise switched off. */
  allowedDirectories?: string[];
}

/**
 * A DuckDB session that cannot change anything: the file is opened READ_ONLY, file system access
 * is switched off (COPY … TO would otherwise write files even on a read-only database) except
 * for `allowedDirectories`, the configuration is locked so a query cannot switch it back, and
 * only single SELECT/EXPLAIN statements run.
 */
export async function openDuckdbSession(
  setup: DuckdbSessionSetup,
  options: OpenSessionOptions,
): Promise<DuckdbReadonlySession> {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  try {
    instance = await DuckDBInstance.create(
      setup.file ?? ':memory:',
      setup.file ? { access_mode: 'READ_ONLY' } : {},
    );
    connection = await instance.connect();
    if (setup.allowedDirectories && setup.allowedDirectories.length > 0) {
      const list = setup.allowedDirectories.map((folder) => `'${folder.replaceAll("'", "''")}'`).join(', ');
      await connection.run(`SET allowed_directories = [${list}]`);
    }
    await connection.run('SET enable_external_access = false');
    await setup.prepare?.(connection);
    await connection.run('SET lock_configuration = true');
    const version = await connection.runAndReadAll('SELECT version() AS version');
    const serverVersion = `DuckDB ${String(version.getRowObjectsJson()[0]?.version ?? '')}`;
    return new DuckdbReadonlySession(setup.ref, instance, connection, serverVersion, options);
  } catch (error) {
    connection?.closeSync();
    instance?.closeSync();
    if (error instanceof OsirisError) throw error;
    throw new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${setup.ref}: cannot open ${setup.file ?? 'an in-memory database'} with DuckDB: ${messageOf(error)}`,
      {
        hint: 'check that the file is a DuckDB database and that no other process holds it open for writing',
        details: { ref: setup.ref, ...(setup.file ? { file: setup.file } : {}) },
        cause: error,
      },
    );
  }
}

export class DuckdbReadonlySession implements ReadonlySession {
  readonly dialect = duckdbDialect;
  readonly serverVersion: string;
  readonly #ref: string;
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #options: OpenSessionOptions;
  readonly #stopAbort: () => void;
  #closed = false;

  constructor(
    ref: string,
    instance: DuckDBInstance,
    connection: DuckDBConnection,
    serverVersion: string,
    options: OpenSessionOptions,
  ) {
    this.#ref = ref;
    this.#instance = instance;
    this.#connection = connection;
    this.serverVersion = serverVersion;
    this.#options = options;
    const onAbort = () => connection.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.#stopAbort = () => options.signal?.removeEventListener('abort', onAbort);
  }

  async query(sql: string, parameters: readonly unknown[], limits: QueryLimits): Promise<QueryResult> {
    if (this.#options.signal?.aborted) throw queryCancelled(this.#ref);
    const timeoutMs = limits.timeoutMs ?? this.#options.statementTimeoutMs;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.#connection.interrupt();
    }, timeoutMs);
    try {
      const statements = await this.#connection.extractStatements(sql);
      if (statements.count !== 1) {
        throw new OsirisError(
          ErrorCodes.QUERY_FAILED,
          `${this.#ref}: give exactly one SQL statement (found ${statements.count})`,
          {
            details: { ref: this.#ref },
          },
        );
      }
      const prepared = await statements.prepare(0).catch((error: unknown) => {
        // With file access off, DuckDB already refuses COPY … TO / EXPORT while preparing them:
        // that refusal is a blocked write, and is reported as one.
        if (WRITING_KEYWORDS.has(leadingKeyword(sql)))
          throw readOnlyViolation(this.#ref, messageOf(error), error);
        throw error;
      });
      if (!READING_STATEMENTS.has(prepared.statementType)) {
        throw readOnlyViolation(
          this.#ref,
          `${StatementType[prepared.statementType] ?? 'this'} statements cannot run here; only SELECT reads`,
        );
      }
      if (parameters.length > 0) prepared.bind(parameters.map(duckdbValue));
      const reader = await prepared.streamAndReadUntil(limits.maxRows + 1);
      const names = uniqueColumnNames(reader.columnNames());
      const types = reader.columnTypes().map((type) => type.toString());
      const rows = reader.getRowsJson();
      return {
        columns: names.map((name, index) => ({ name, type: types[index] ?? 'unknown' })),
        rows: rowObjects(names, rows.slice(0, limits.maxRows), jsonSafeValue),
        truncated: rows.length > limits.maxRows,
      };
    } catch (error) {
      if (error instanceof OsirisError) throw error;
      if (this.#options.signal?.aborted) throw queryCancelled(this.#ref);
      if (timedOut) throw statementTimeout(this.#ref, timeoutMs, error);
      throw new OsirisError(ErrorCodes.QUERY_FAILED, `${this.#ref}: the query failed: ${messageOf(error)}`, {
        details: { ref: this.#ref },
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopAbort();
    this.#connection.closeSync();
    this.#instance.closeSync();
  }
}

/** Parameters are plain JSON-safe values; objects (never produced by discovery itself) go as text. */
function duckdbValue(value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return value;
  }
  return JSON.stringify(value);
}
