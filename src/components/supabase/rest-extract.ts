import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { DriverResult, StepContext } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { type CsvSource, loadCsvIntoDataPlane } from '../postgres/csv-into-data-plane.js';
import { type SourceColumn, uniqueName } from '../postgres/describe-query.js';
import type { ExtractorSettings } from '../postgres/extractor-config.js';
import { mapPostgresTypeName } from '../postgres/postgres-to-duckdb-type.js';
import { requireRestEndpoint } from './connection-modes.js';
import { parseArrayLiteral } from './postgres-array-literal.js';
import type { RestCallContext } from './rest-call.js';
import { restCall } from './rest-call.js';
import { createRestClient, type RestClient } from './rest-client.js';
import { restIdentifier } from './rest-names.js';
import { describeRestTable, type RestColumn } from './rest-table.js';

const COMPONENT = 'supabase.extractor';

/**
 * Read a table through the REST API (supabase-js), page by page ordered by the primary key.
 * Every column is requested as `::text`, so values arrive as PostgreSQL prints them (bigints and
 * numerics exact, timestamps with their offset) and go through the same CSV → DuckDB loader,
 * with the same type mapping, as the COPY path. Pages advance by the rows actually received,
 * so a server-side cap on rows per response (Supabase's max rows) cannot cut the read short.
 */
export async function extractOverRest(
  connection: ResolvedConnection,
  settings: ExtractorSettings,
  ctx: StepContext,
): Promise<DriverResult> {
  const table = settings.table;
  if (!table) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${COMPONENT}: \`query\` needs the Postgres protocol, and ${connection.ref} only has the REST API`,
      {
        hint: 'Add `dsn` (Project Settings → Database → Connection string) to the connection, or read a `table` instead.',
      },
    );
  }
  const endpoint = requireRestEndpoint(connection, COMPONENT);
  const context: RestCallContext = {
    connection,
    action: `reading ${settings.source}`,
    fallbackCode: ErrorCodes.QUERY_FAILED,
    signal: ctx.signal,
    idempotent: true,
    onRetry: reportRetry(ctx),
  };
  const described = await describeRestTable(endpoint, table.schema, table.name, context);
  if (!described) {
    throw new OsirisError(
      ErrorCodes.QUERY_FAILED,
      `${connection.ref}: table ${settings.source} is not visible through the REST API`,
      {
        hint: 'Check the table name and schema, and that the schema is exposed (Project Settings → API → Exposed schemas).',
      },
    );
  }
  if (described.primaryKey.length === 0) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${connection.ref}: ${settings.source} has no primary key, so it cannot be paged through reliably over REST`,
      {
        hint: 'Add `dsn` to the connection to read it over the Postgres protocol.',
      },
    );
  }
  const restColumns = pickColumns(described.columns, table.columns, connection.ref, settings.source);
  const window = ctx.incremental;
  if (window && !described.columns.some((column) => column.name === window.cursor)) {
    throw new OsirisError(
      ErrorCodes.CURSOR_INVALID,
      `${COMPONENT}: the cursor column \`${window.cursor}\` is not in ${settings.source} (columns: ${described.columns.map((c) => c.name).join(', ')})`,
      {
        hint: 'set `incremental.cursor` to a column of the table (a timestamp such as updated_at, or an increasing id)',
      },
    );
  }
  const taken = new Set<string>();
  const columns: SourceColumn[] = restColumns.map((column) => ({
    ...mapPostgresTypeName(column.format),
    name: uniqueName(column.name, taken),
    sourceName: column.name,
  }));

  const client = createRestClient(endpoint, table.schema);
  const source = pagedSource({
    client,
    table: table.name,
    select: restColumns.map((column, index) => `c${index}:${restIdentifier(column.name)}::text`).join(','),
    order: described.primaryKey,
    columns,
    ...(window ? { window } : {}),
    pageSize: settings.fetchSize,
    ...(table.limit === undefined ? {} : { limit: table.limit }),
    context,
    onProgress: (rows) => ctx.progress(rows),
  });
  const dataPlaneTable = ctx.dataPlane.tableFor(ctx.stepId);
  try {
    const result = await loadCsvIntoDataPlane({
      dataPlane: ctx.dataPlane,
      table: dataPlaneTable,
      columns,
      source,
      signal: ctx.signal,
      ref: connection.ref,
      onWarning: (message, fields) => ctx.log.warn(message, fields),
    });
    ctx.log.event('source_described', {
      source: settings.source,
      columns: result.columns.map((column) => ({
        name: column.name,
        postgres: column.postgresType,
        duckdb: column.duckdbType,
      })),
    });
    return { table: dataPlaneTable, rows: result.rows };
  } catch (error) {
    if (ctx.signal.aborted) {
      throw new CancelledError(`${connection.ref}: extraction cancelled; no rows were kept`, {
        cause: error,
      });
    }
    throw error;
  }
}

function pickColumns(
  all: RestColumn[],
  wanted: string[] | undefined,
  ref: string,
  source: string,
): RestColumn[] {
  if (!wanted) return all;
  return wanted.map((name) => {
    const column = all.find((candidate) => candidate.name === name);
    if (!column) {
      throw new OsirisError(ErrorCodes.QUERY_FAILED, `${ref}: ${source} has no column ${name}`, {
        hint: `Its columns are ${all.map((candidate) => candidate.name).join(', ')}.`,
      });
    }
    return column;
  });
}

interface PagedSourceOptions {
  client: RestClient;
  table: string;
  select: string;
  order: string[];
  columns: SourceColumn[];
  pageSize: number;
  limit?: number;
  /** An incremental window: `gte`/`lt` filters, sent as request parameters. */
  window?: IncrementalWindow;
  context: RestCallContext;
  onProgress: (rows: number) => void;
}

function pagedSource(options: PagedSourceOptions): CsvSource {
  const stopper = new AbortController();
  const signal = AbortSignal.any([stopper.signal, options.context.signal]);
  const context = { ...options.context, signal };
  return {
    async pipeTo(sink) {
      let sent = 0;
      for (;;) {
        const want =
          options.limit === undefined ? options.pageSize : Math.min(options.pageSize, options.limit - sent);
        if (want <= 0) break;
        const rows = await restCall<Record<string, string | null>[]>(() => {
          let query = options.client.from(options.table).select(options.select);
          const window = options.window;
          if (window?.from !== undefined) query = query.gte(restIdentifier(window.cursor), window.from);
          if (window?.to !== undefined) query = query.lt(restIdentifier(window.cursor), window.to);
          for (const key of options.order) query = query.order(restIdentifier(key), { ascending: true });
          // Retries are ours (bounded, configurable, reported as events), not supabase-js's own.
          return query
            .range(sent, sent + want - 1)
            .abortSignal(signal)
            .retry(false);
        }, context);
        if (!rows || rows.length === 0) break;
        await write(sink, rows.map((row) => csvLine(row, options.columns)).join(''), signal);
        sent += rows.length;
        options.onProgress(sent);
      }
      return sent;
    },
    stop: () => stopper.abort(),
  };
}

/** One CSV line in PostgreSQL's dialect: every value quoted, NULL as an empty field. */
function csvLine(row: Record<string, string | null>, columns: readonly SourceColumn[]): string {
  const fields = columns.map((column, index) => {
    const value = row[`c${index}`] ?? null;
    if (value === null) return '';
    const json = column.source === 'array-as-json' ? JSON.stringify(parseArrayLiteral(value)) : value;
    // Mixed-sign intervals print as `-3 days +04:05:06`; DuckDB refuses the `+` (see copyOutSql).
    const text = /^INTERVAL(\[\])?$/.test(column.duckdbType) ? json.replaceAll('+', '') : json;
    return `"${text.replaceAll('"', '""')}"`;
  });
  return `${fields.join(',')}\n`;
}

async function write(sink: Writable, text: string, signal: AbortSignal): Promise<void> {
  if (!sink.write(text)) await once(sink, 'drain', { signal });
}
