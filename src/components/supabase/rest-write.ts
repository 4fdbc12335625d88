import type { ResolvedConnection } from '../../spec/connection.js';
import type { DriverResult, StepContext, StepInput } from '../../spec/driver.js';
import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { parseDuckdbType, renderForPostgres } from '../postgres/duckdb-to-postgres-type.js';
import { type ColumnPair, pairColumns, type TargetColumn } from '../postgres/target-table.js';
import type { WriterSettings } from '../postgres/writer-config.js';
import { singleInput } from '../shared/database-config.js';
import { requireRestEndpoint } from './connection-modes.js';
import { type RestCallContext, restCall } from './rest-call.js';
import { createRestClient } from './rest-client.js';
import { describeRestTable } from './rest-table.js';

const COMPONENT = 'supabase.writer';
const JSON_TYPES = new Set(['json', 'jsonb']);
/** Strategies that change or delete several rows as one unit: over REST each batch commits alone. */
const TRANSACTIONAL_MODES: readonly string[] = ['replace', 'delete_insert', 'scd2'];

/**
 * Write through the REST API (supabase-js) in batches of `batch_size` rows: `insert` for append,
 * `upsert` with `onConflict: primary_key` (PostgREST's merge-duplicates) for upsert. DuckDB
 * renders each value as PostgreSQL's input text (bigints and decimals exact, bytea as `\x` hex,
 * timestamptz with its offset, arrays as literals); json/jsonb columns get the JSON itself.
 * Each batch is its own transaction on the server: a failure keeps the batches already sent.
 * `replace`, `delete_insert`, `scd2` and `deleted_column` are refused: over REST they could not be
 * atomic. New input columns cannot be added over REST either (schema_change: discard_columns drops them).
 */
export async function writeOverRest(
  connection: ResolvedConnection,
  settings: WriterSettings,
  inputs: readonly StepInput[],
  ctx: StepContext,
): Promise<DriverResult> {
  const input = singleInput(inputs, 'supabase.writer');
  const where = `${settings.schema}.${settings.table}`;
  const transactional = settings.deletedColumn
    ? 'deleted_column'
    : TRANSACTIONAL_MODES.includes(settings.mode)
      ? `write_mode ${settings.mode}`
      : undefined;
  if (ctx.commitTogether) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${COMPONENT}: on_failure: rollback_all needs the Postgres protocol; ${connection.ref} only has the REST API, whose batches commit one by one`,
      {
        hint: 'Add `dsn` to the connection so the write can wait for the other writers in one transaction, or remove on_failure: rollback_all.',
        details: { transport: 'rest' },
      },
    );
  }
  if (transactional) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${COMPONENT}: ${transactional} needs the Postgres protocol; ${connection.ref} only has the REST API, where it could not run in one transaction`,
      {
        hint: `Add \`dsn\` to the connection (${transactional} then runs in one transaction), or use write_mode: upsert without deleted_column.`,
        details: { write_mode: settings.mode, transport: 'rest' },
      },
    );
  }
  const endpoint = requireRestEndpoint(connection, COMPONENT);
  const context: RestCallContext = {
    connection,
    action: `writing to ${where}`,
    fallbackCode: ErrorCodes.WRITE_FAILED,
    signal: ctx.signal,
    idempotent: settings.mode === 'upsert',
    onRetry: reportRetry(ctx),
  };
  const target = await describeRestTable(endpoint, settings.schema, settings.table, context);
  if (!target) {
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `${connection.ref}: table ${where} is not visible through the REST API`,
      {
        hint: settings.createIfMissing
          ? 'The REST API cannot create tables: create it first, or add `dsn` to the connection so create_if_missing can.'
          : 'Check the table name and schema, and that the schema is exposed (Project Settings → API → Exposed schemas).',
      },
    );
  }
  const targetColumns: TargetColumn[] = target.columns.map((column) => ({
    name: column.name,
    type: column.format,
    listTarget: JSON_TYPES.has(column.format) ? 'json' : 'array',
  }));
  const inputColumns = await ctx.dataPlane.columns(input.table);
  const known = (name: string) =>
    targetColumns.some((column) => column.name.toLowerCase() === name.toLowerCase());
  const pairs = pairColumns(
    connection.ref,
    where,
    settings.schemaChange === 'discard_columns'
      ? inputColumns.filter((column) => known(column.name))
      : inputColumns,
    targetColumns,
  );
  const conflictKeys =
    settings.mode === 'upsert' ? keyColumns(connection.ref, settings.primaryKey, pairs) : [];

  const client = createRestClient(endpoint, settings.schema);
  const select = pairs.map(
    (pair) =>
      `CAST(${renderForPostgres(parseDuckdbType(pair.input.type), ctx.dataPlane.quote(pair.input.name), pair.target.listTarget)} AS VARCHAR)`,
  );
  let written = 0;
  try {
    for await (const chunk of ctx.dataPlane.readChunks(
      `SELECT ${select.join(', ')} FROM ${ctx.dataPlane.quote(input.table)}`,
      settings.batchSize,
    )) {
      if (chunk.rows.length === 0) continue;
      const rows = chunk.rows.map((row) =>
        Object.fromEntries(pairs.map((pair, index) => [pair.target.name, jsonValue(row[index], pair)])),
      );
      await restCall(() => {
        const table = client.from(settings.table);
        const request =
          settings.mode === 'upsert'
            ? table.upsert(rows, { onConflict: conflictKeys.join(',') })
            : table.insert(rows);
        return request.abortSignal(ctx.signal).retry(false);
      }, context);
      written += rows.length;
      ctx.progress(written);
    }
  } catch (error) {
    if (ctx.signal.aborted) {
      throw new CancelledError(`${connection.ref}: write to ${where} cancelled after ${written} rows`, {
        cause: error,
      });
    }
    throw error;
  }
  return { rows: written };
}

/** Values travel as PostgreSQL input text; json/jsonb columns need the JSON value, not a string holding it. */
function jsonValue(value: unknown, pair: ColumnPair): unknown {
  if (value === null || value === undefined) return null;
  return pair.target.listTarget === 'json' ? JSON.parse(String(value)) : value;
}

function keyColumns(ref: string, primaryKey: readonly string[], pairs: readonly ColumnPair[]): string[] {
  return primaryKey.map((key) => {
    const pair = pairs.find((candidate) => candidate.input.name === key || candidate.target.name === key);
    if (!pair) {
      throw new OsirisError(ErrorCodes.USAGE, `${ref}: primary_key ${key} is not a column of the input`, {
        hint: `The input columns are ${pairs.map((candidate) => candidate.input.name).join(', ')}.`,
      });
    }
    return pair.target.name;
  });
}
