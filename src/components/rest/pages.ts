import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { Authenticator } from './auth.js';
import { describeUrl, type HttpPolicy, type HttpResponse, requestJson } from './http-request.js';
import { type PathSegment, parseJsonPath, valueAt } from './json-path.js';

export type Paginate =
  | { type: 'none' }
  | { type: 'cursor'; cursor_path: string; cursor_param: string }
  | { type: 'next_url'; next_url_path: string }
  | { type: 'link_header' }
  | { type: 'page'; page_param: string; start_page: number; page_size_param?: string; page_size?: number }
  | { type: 'offset'; offset_param: string; limit_param: string; limit: number; start_offset: number };

export interface PageSource {
  /** First request: base URL + path + params. */
  url: URL;
  headers: Record<string, string>;
  /** JSON path of the record list; `undefined` finds it (the body, or its one array member). */
  records?: string;
  paginate: Paginate;
  /** Stop after this many pages (a safety net against an API that never ends). */
  maxPages: number;
  authenticator: Authenticator;
  policy: HttpPolicy;
}

export interface Page {
  number: number;
  records: unknown[];
  bytes: number;
}

/**
 * The pages of a paginated JSON API, one request at a time (only the current page is held). Ends
 * when the pagination says so (no cursor, no next URL, an empty or short page), or at maxPages.
 */
export async function* fetchPages(source: PageSource): AsyncGenerator<Page> {
  const recordsPath = source.records === undefined ? undefined : parseJsonPath(source.records);
  const paginate = source.paginate;
  const cursorPath = paginate.type === 'cursor' ? parseJsonPath(paginate.cursor_path) : undefined;
  const nextPath = paginate.type === 'next_url' ? parseJsonPath(paginate.next_url_path) : undefined;
  let url: URL | undefined = new URL(source.url);
  if (paginate.type === 'page') {
    url.searchParams.set(paginate.page_param, String(paginate.start_page));
    if (paginate.page_size_param && paginate.page_size !== undefined)
      url.searchParams.set(paginate.page_size_param, String(paginate.page_size));
  } else if (paginate.type === 'offset') {
    url.searchParams.set(paginate.offset_param, String(paginate.start_offset));
    url.searchParams.set(paginate.limit_param, String(paginate.limit));
  }
  for (let number = 1; url !== undefined; number += 1) {
    if (number > source.maxPages) {
      throw new OsirisError(
        ErrorCodes.SOURCE_READ_FAILED,
        `${describeUrl(source.url)} still had more pages after max_pages (${source.maxPages})`,
        {
          hint: 'raise `max_pages` in `paginate`, or check that the pagination settings end (a cursor that repeats never does).',
        },
      );
    }
    const response = await authorizedRequest(url, source);
    const records = selectRecords(response.body, recordsPath, source.records, url);
    yield { number, records, bytes: response.bytes };
    if (records.length === 0) return;
    url = nextUrl(url, response, records.length, paginate, cursorPath, nextPath, source.url);
  }
}

async function authorizedRequest(url: URL, source: PageSource): Promise<HttpResponse> {
  const request = { url, headers: source.headers };
  try {
    return await requestJson(await source.authenticator.apply(request), source.policy);
  } catch (error) {
    // An expired OAuth2 token gets one new token and one more try.
    if ((error as OsirisError).code === ErrorCodes.AUTH_FAILED && source.authenticator.refused())
      return requestJson(await source.authenticator.apply(request), source.policy);
    throw error;
  }
}

function nextUrl(
  current: URL,
  response: HttpResponse,
  count: number,
  paginate: Paginate,
  cursorPath: PathSegment[] | undefined,
  nextPath: PathSegment[] | undefined,
  first: URL,
): URL | undefined {
  switch (paginate.type) {
    case 'none':
      return undefined;
    case 'cursor': {
      const cursor = valueAt(response.body, cursorPath!);
      if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return undefined;
      const next = new URL(first);
      next.searchParams.set(paginate.cursor_param, String(cursor));
      return next;
    }
    case 'next_url': {
      const next = valueAt(response.body, nextPath!);
      return typeof next === 'string' && next !== '' ? new URL(next, current) : undefined;
    }
    case 'link_header': {
      const next = linkNext(response.headers.get('link'));
      return next === undefined ? undefined : new URL(next, current);
    }
    case 'page': {
      if (paginate.page_size !== undefined && count < paginate.page_size) return undefined;
      const next = new URL(current);
      const page = Number(current.searchParams.get(paginate.page_param) ?? paginate.start_page);
      next.searchParams.set(paginate.page_param, String(page + 1));
      return next;
    }
    case 'offset': {
      if (count < paginate.limit) return undefined;
      const next = new URL(current);
      const offset = Number(current.searchParams.get(paginate.offset_param) ?? paginate.start_offset);
      next.searchParams.set(paginate.offset_param, String(offset + count));
      return next;
    }
  }
}

/** The `rel="next"` target of an RFC 8288 Link header. */
export function linkNext(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** The list of records in a body: at `records`, else the body itself or its only array member. */
export function selectRecords(
  body: unknown,
  path: PathSegment[] | undefined,
  pathText: string | undefined,
  url: URL,
): unknown[] {
  if (path !== undefined) {
    const value = valueAt(body, path);
    if (Array.isArray(value)) return value;
    if (value === undefined || value === null) return [];
    throw new OsirisError(
      ErrorCodes.RESPONSE_INVALID,
      `${describeUrl(url)}: ${pathText} is ${typeof value}, not a list of records`,
      { hint: `set \`records\` to the JSON path of the list${arrayMembersHint(body)}.` },
    );
  }
  if (Array.isArray(body)) return body;
  const arrays =
    body !== null && typeof body === 'object'
      ? Object.entries(body).filter(([, value]) => Array.isArray(value))
      : [];
  if (arrays.length === 1) return arrays[0]![1] as unknown[];
  throw new OsirisError(
    ErrorCodes.RESPONSE_INVALID,
    `${describeUrl(url)}: cannot tell which part of the response holds the records`,
    { hint: `set \`records\` to the JSON path of the list${arrayMembersHint(body)}.` },
  );
}

function arrayMembersHint(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return '';
  const names = Object.entries(body)
    .filter(([, value]) => Array.isArray(value))
    .map(([name]) => `$.${name}`);
  return names.length > 0 ? ` (lists in the response: ${names.join(', ')})` : '';
}
