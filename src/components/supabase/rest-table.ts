import type { RestEndpoint } from './connection-modes.js';
import { type RestCallContext, type RestResponse, restCall } from './rest-call.js';

export interface RestColumn {
  name: string;
  /** PostgreSQL type name (`bigint`, `timestamp with time zone`, `text[]`, an enum's name...). */
  format: string;
}

export interface RestTable {
  columns: RestColumn[];
  /** Primary key columns in table order; empty for views and tables without one. */
  primaryKey: string[];
}

export interface OpenApiDocument {
  info?: { title?: string; version?: string };
  definitions?: Record<string, { properties?: Record<string, { format?: string; description?: string }> }>;
}

/** PostgREST marks primary key columns in their OpenAPI description. */
const PRIMARY_KEY_MARK = '<pk/>';

/**
 * A table's columns and primary key from PostgREST's OpenAPI document (`GET /rest/v1/`), which
 * lists every exposed table and view with each column's PostgreSQL type. Undefined when the
 * schema exposes no such table.
 */
export async function describeRestTable(
  endpoint: RestEndpoint,
  schema: string,
  table: string,
  context: RestCallContext,
): Promise<RestTable | undefined> {
  const document = await readOpenApi(endpoint, schema, context);
  const definition = document.definitions?.[table];
  if (!definition) return undefined;
  const entries = Object.entries(definition.properties ?? {});
  return {
    columns: entries.map(([name, property]) => ({ name, format: property.format ?? 'text' })),
    primaryKey: entries
      .filter(([, property]) => property.description?.includes(PRIMARY_KEY_MARK))
      .map(([name]) => name),
  };
}

/** PostgREST's OpenAPI document for `schema`: every exposed table and view, and PostgREST's version. */
export function readOpenApi(
  endpoint: RestEndpoint,
  schema: string,
  context: RestCallContext,
): Promise<OpenApiDocument> {
  return restCall<OpenApiDocument>(() => fetchOpenApi(endpoint, schema, context.signal), context);
}

async function fetchOpenApi(
  endpoint: RestEndpoint,
  schema: string,
  signal: AbortSignal,
): Promise<RestResponse<OpenApiDocument>> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.url}/rest/v1/`, {
      headers: {
        apikey: endpoint.key,
        Authorization: `Bearer ${endpoint.key}`,
        'Accept-Profile': schema,
        Accept: 'application/openapi+json, application/json',
      },
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    return {
      data: null,
      error: {
        message: error instanceof Error ? error.message : String(error),
        details: `${cause?.message ?? ''} (${cause?.code ?? ''})`,
      },
      status: 0,
    };
  }
  const text = await response.text();
  if (response.ok) return { data: JSON.parse(text) as OpenApiDocument, error: null, status: response.status };
  let body: { message?: string; code?: string; hint?: string; details?: string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return {
    data: null,
    error: {
      message: body.message ?? `HTTP ${response.status}`,
      ...(body.code ? { code: body.code } : {}),
      hint: body.hint ?? null,
      details: body.details ?? null,
    },
    status: response.status,
  };
}
