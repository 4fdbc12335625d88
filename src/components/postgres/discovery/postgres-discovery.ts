import pg from 'pg';
import QueryStream from 'pg-query-stream';
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
import { leadingKeyword } from '../../../discovery/sessions/statement-text.js';
import { doubleQuote, type SqlDialect } from '../../../discovery/sql-dialect.js';
import type { QueryResult } from '../../../discovery/types.js';
import { rowObjects, uniqueColumnNames } from '../../../discovery/unique-column-names.js';
import type { ResolvedConnection } from '../../../spec/connection.js';
import { ErrorCodes } from '../../../spec/errors.js';
import { openPostgresSession, type PostgresSession } from '../client.js';
import type { SslMode } from '../connection-settings.js';
import { sqlState } from '../postgres-error.js';
import { type PostgresCatalogScope, readPostgresCatalog } from './postgres-catalog.js';

const postgresDialect: SqlDialect = {
  quoteIdentifier: doubleQuote,
  placeholder: (index) => `$${index}`,
  // The cast makes it work for citext, char(n), enums and domains alike.
  containsText: (column, placeholder) => `${column}::text ILIKE ${placeholder}`,
};

/** Date and time types stay as the server's ISO text instead of becoming local-time Date objects. */
const TEXT_TYPE_OIDS = new Set([1082, 1083, 1114, 1184, 1186, 1266]);
const textTimeTypes = {
  getTypeParser: (oid: number, format?: string) =>
    TEXT_TYPE_OIDS.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text'),
};

/**
 * Settings local to each transaction, so they also hold behind a transaction pooler (Supabase):
 * UTC and ISO dates make values mean the same everywhere, floats print exactly.
 */
const TRANSACTION_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
].join('; ');

/**
 * Discovery over PostgreSQL (and Supabase's database) through the postgres component's client.
 * The session defaults to read-only transactions and every statement runs in `BEGIN READ ONLY`
 * with a local statement_timeout; statements go through the extended protocol (a cursor), which
 * accepts exactly one statement, so `…; COMMIT; DELETE …` cannot slip through.
 */
export async function openPostgresDiscovery(
  connection: ResolvedConnection,
  options: OpenSessionOptions,
  variant: PostgresVariant = {},
): Promise<DiscoveryConnection> {
  const postgres = await openPostgresSession(connection, {
    ...(options.signal ? { signal: options.signal } : {}),
    retry: { retries: 1 },
    ...(variant.defaultSslMode ? { defaultSslMode: variant.defaultSslMode } : {}),
  });
  let serverVersion: string;
  try {
    await postgres.client.query('SET default_transaction_read_only = on');
    const version = await postgres.client.query<{ server_version: string }>('SHOW server_version');
    serverVersion = `PostgreSQL ${String(version.rows[0]?.server_version ?? '').split(' ')[0]}`;
  } catch (error) {
    await postgres.close();
    throw postgres.error(error, 'preparing a read-only session', ErrorCodes.DISCOVERY_FAILED);
  }
  const session = new PostgresReadonlySession(postgres, serverVersion, options);
  const scope: PostgresCatalogScope = {
    ...schemaScope(connection),
    excludedSchemas: variant.excludedSchemas ?? [],
  };
  return { session, readCatalog: (filter) => readPostgresCatalog(session, filter, scope) };
}

/** A service built on PostgreSQL (Supabase): its TLS default and the schemas that are never user data. */
export interface PostgresVariant {
  defaultSslMode?: SslMode;
  excludedSchemas?: readonly string[];
}

/** `schema: sales` or `schemas: [sales, crm]` on the connection narrows discovery to them. */
function schemaScope(connection: ResolvedConnection): { schemas?: string[] } {
  const value = connection.fields.schemas ?? connection.fields.schema;
  if (typeof value === 'string' && value.trim() !== '') {
    return {
      schemas: value
        .split(',')
        .map((schema) => schema.trim())
        .filter(Boolean),
    };
  }
  if (Array.isArray(value)) return { schemas: value.map(String) };
  return {};
}

class PostgresReadonlySession implements ReadonlySession {
  readonly dialect = postgresDialect;
  readonly serverVersion: string;
  readonly #postgres: PostgresSession;
  readonly #options: OpenSessionOptions;
  readonly #typeNames = new Map<string, string>();
  readonly #stopAbort: () => void;

  constructor(postgres: PostgresSession, serverVersion: string, options: OpenSessionOptions) {
    this.#postgres = postgres;
    this.serverVersion = serverVersion;
    this.#options = options;
    const signal = options.signal;
    // Ending the connection is the only way to stop a running statement without a second connection.
    const onAbort = () => void postgres.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#stopAbort = () => signal?.removeEventListener('abort', onAbort);
  }

  async query(sql: string, parameters: readonly unknown[], limits: QueryLimits): Promise<QueryResult> {
    const client = this.#postgres.client;
    if (this.#options.signal?.aborted) throw queryCancelled(this.#postgres.ref);
    // COPY … TO 'file' is allowed in a read-only transaction (for roles that may write server files).
    if (leadingKeyword(sql) === 'COPY') {
      throw readOnlyViolation(this.#postgres.ref, 'COPY cannot run here; use a SELECT');
    }
    const timeoutMs = Math.max(1, Math.round(limits.timeoutMs ?? this.#options.statementTimeoutMs));
    try {
      await client.query(
        `BEGIN READ ONLY; SET LOCAL statement_timeout = ${timeoutMs}; ${TRANSACTION_SETTINGS}`,
      );
      const result = await abortable(this.#read(sql, parameters, limits.maxRows), this.#options.signal, () =>
        queryCancelled(this.#postgres.ref),
      );
      await client.query('ROLLBACK');
      return result;
    } catch (error) {
      // After an abort the connection is being torn down: a ROLLBACK would only queue behind it.
      // Otherwise it only fails when the connection is gone, and then the original error says why.
      if (!this.#options.signal?.aborted) await client.query('ROLLBACK').catch(() => undefined);
      throw this.#error(error, timeoutMs);
    }
  }

  async close(): Promise<void> {
    this.#stopAbort();
    await this.#postgres.close();
  }

  async #read(sql: string, parameters: readonly unknown[], maxRows: number): Promise<QueryResult> {
    const stream = this.#postgres.client.query(
      new QueryStream(sql, [...parameters], {
        rowMode: 'array',
        types: textTimeTypes,
        batchSize: Math.min(maxRows + 1, 1000),
      }),
    );
    const rows: unknown[][] = [];
    let truncated = false;
    for await (const row of stream) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(row as unknown[]);
    }
    const fields = (stream._result?.fields ?? []) as {
      name: string;
      dataTypeID: number;
      dataTypeModifier: number;
    }[];
    const names = uniqueColumnNames(fields.map((field) => field.name));
    const types = await this.#typeNamesOf(fields);
    return {
      columns: names.map((name, index) => ({ name, type: types[index] ?? 'unknown' })),
      rows: rowObjects(names, rows, jsonSafeValue),
      truncated,
    };
  }

  /** `format_type` names for result columns, asked once per distinct type in the session. */
  async #typeNamesOf(fields: readonly { dataTypeID: number; dataTypeModifier: number }[]): Promise<string[]> {
    const keyOf = (field: { dataTypeID: number; dataTypeModifier: number }) =>
      `${field.dataTypeID}:${field.dataTypeModifier}`;
    const missing = fields.filter((field) => !this.#typeNames.has(keyOf(field)));
    if (missing.length > 0) {
      const result = await this.#postgres.client.query<{ name: string }>(
        `SELECT format_type(t.oid, NULLIF(t.typmod, -1)) AS name
           FROM unnest($1::oid[], $2::int[]) WITH ORDINALITY AS t(oid, typmod, position) ORDER BY t.position`,
        [missing.map((field) => field.dataTypeID), missing.map((field) => field.dataTypeModifier)],
      );
      for (const [index, field] of missing.entries()) {
        this.#typeNames.set(keyOf(field), result.rows[index]?.name ?? 'unknown');
      }
    }
    return fields.map((field) => this.#typeNames.get(keyOf(field)) ?? 'unknown');
  }

  #error(error: unknown, timeoutMs: number) {
    const ref = this.#postgres.ref;
    if (this.#options.signal?.aborted) return queryCancelled(ref);
    const code = sqlState(error);
    if (code === '25006') return readOnlyViolation(ref, (error as Error).message, error);
    if (code === '57014') return statementTimeout(ref, timeoutMs, error);
    return this.#postgres.error(error, 'running a read-only query', ErrorCodes.QUERY_FAILED);
  }
}
