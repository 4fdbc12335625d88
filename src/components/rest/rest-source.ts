import type { ResolvedConnection } from '../../spec/connection.js';
import type { StepContext } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { reportRetry } from '../../util/retry-with-backoff.js';
import { Authenticator, parseAuth } from './auth.js';
import type { HttpPolicy } from './http-request.js';
import type { PageSource, Paginate } from './pages.js';

const DEFAULT_MAX_PAGES = 100_000;

/** A `@rest.<alias>` connection and a step config (or discovery options) as a page source. */
export function restPageSource(
  connection: ResolvedConnection | undefined,
  config: Record<string, unknown>,
  ctx: Pick<StepContext, 'signal' | 'log'>,
): PageSource {
  if (!connection) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_NOT_FOUND,
      'rest.extractor needs `connection: "@rest.<alias>"`',
      {
        hint: 'add the API to osiris_connections.yaml under `rest:` with its base_url and auth.',
      },
    );
  }
  const fields = connection.fields;
  const base = fields.base_url;
  if (typeof base !== 'string' || !/^https?:\/\//.test(base)) {
    throw new OsirisError(
      ErrorCodes.CONNECTIONS_INVALID,
      `${connection.ref}: base_url must be an http(s) URL`,
      {
        hint: 'e.g. base_url: https://api.example.com/v1',
        details: { ref: connection.ref },
      },
    );
  }
  const url = joinUrl(base, typeof config.path === 'string' ? config.path : '');
  const params = (config.params ?? {}) as Record<string, string | number | boolean>;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  const headers = {
    ...lowerKeys(fields.headers as Record<string, string> | undefined),
    ...lowerKeys(config.headers as Record<string, string> | undefined),
  };
  const policy: HttpPolicy = {
    timeoutMs: Math.round(Number(config.timeout ?? 30) * 1000),
    retries: Number(config.retries ?? 5),
    maxResponseBytes: Number(config.max_response_bytes ?? 52_428_800),
    signal: ctx.signal,
    onRetry: reportRetry(ctx),
  };
  const paginate = (config.paginate ?? { type: 'none' }) as Record<string, unknown>;
  return {
    url,
    headers,
    ...(typeof config.records === 'string' ? { records: config.records } : {}),
    paginate: paginationOf(paginate),
    maxPages: typeof paginate.max_pages === 'number' ? paginate.max_pages : DEFAULT_MAX_PAGES,
    authenticator: new Authenticator(parseAuth(fields.auth, connection.ref), policy),
    policy,
  };
}

function paginationOf(paginate: Record<string, unknown>): Paginate {
  const text = (name: string, fallback?: string) =>
    typeof paginate[name] === 'string' ? (paginate[name] as string) : fallback;
  const number = (name: string) =>
    typeof paginate[name] === 'number' ? (paginate[name] as number) : undefined;
  switch (paginate.type) {
    case 'cursor': {
      const cursorPath = text('cursor_path');
      const cursorParam = text('cursor_param');
      if (!cursorPath || !cursorParam) {
        throw new OsirisError(
          ErrorCodes.USAGE,
          'paginate type cursor needs `cursor_path` and `cursor_param`',
          {
            hint: 'e.g. paginate: { type: cursor, cursor_path: $.next_cursor, cursor_param: cursor }',
          },
        );
      }
      return { type: 'cursor', cursor_path: cursorPath, cursor_param: cursorParam };
    }
    case 'next_url':
      return { type: 'next_url', next_url_path: text('next_url_path', '$.next')! };
    case 'link_header':
      return { type: 'link_header' };
    case 'page': {
      const pageSizeParam = text('page_size_param');
      const pageSize = number('page_size');
      return {
        type: 'page',
        page_param: text('page_param', 'page')!,
        start_page: number('start_page') ?? 1,
        ...(pageSizeParam ? { page_size_param: pageSizeParam } : {}),
        ...(pageSize === undefined ? {} : { page_size: pageSize }),
      };
    }
    case 'offset':
      return {
        type: 'offset',
        offset_param: text('offset_param', 'offset')!,
        limit_param: text('limit_param', 'limit')!,
        limit: number('limit') ?? 100,
        start_offset: number('start_offset') ?? 0,
      };
    default:
      return { type: 'none' };
  }
}

/** `base_url` + `path`, keeping the base's own path (`/api` + `/orders` → `/api/orders`). */
export function joinUrl(base: string, path: string): URL {
  if (/^https?:\/\//.test(path)) return new URL(path);
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, '');
  const [pathPart, query] = path.split('?', 2) as [string, string | undefined];
  url.pathname = pathPart === '' ? url.pathname : `${basePath}/${pathPart.replace(/^\/+/, '')}`;
  if (query) for (const [name, value] of new URLSearchParams(query)) url.searchParams.set(name, value);
  return url;
}

function lowerKeys(headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers || typeof headers !== 'object') return {};
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
}
