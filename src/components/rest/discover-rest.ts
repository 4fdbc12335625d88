import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointDiscoveryOptions } from '../../discovery/discovery-family.js';
import type { EndpointProfile } from '../../discovery/types.js';
import { createDataPlane } from '../../runtime/data-plane/index.js';
import { describeUrl, requestJson } from './http-request.js';
import { parseJsonPath } from './json-path.js';
import { linkNext, selectRecords } from './pages.js';
import { RecordsTable } from './records-table.js';
import { restPageSource } from './rest-source.js';

/**
 * Fetch the first page of an API path, infer its records' schema the way rest.extractor will
 * (DuckDB `read_json` over the records) and return sample rows. Read-only: one GET.
 */
export async function discoverRest(options: EndpointDiscoveryOptions): Promise<EndpointProfile> {
  const ctx = { signal: options.signal, log: { event() {}, debug() {}, warn() {} } };
  const source = restPageSource(
    options.connection,
    { path: options.path, retries: 2, ...(options.records ? { records: options.records } : {}) },
    ctx,
  );
  const request = await source.authenticator.apply({ url: source.url, headers: source.headers });
  const response = await requestJson(request, source.policy);
  const body = response.body;
  const recordsPath = options.records ?? findRecordsPath(body);
  const records = selectRecords(
    body,
    recordsPath === undefined ? undefined : parseJsonPath(recordsPath),
    recordsPath,
    source.url,
  );
  const directory = await mkdtemp(join(tmpdir(), 'osiris-rest-discovery-'));
  const dataPlane = await createDataPlane({ directory, threads: 1, allowedDirectories: [directory] });
  try {
    const table = new RecordsTable(dataPlane, 'records');
    await table.append(records);
    const columns = await table.finish();
    const sample: Record<string, unknown>[] = [];
    if (options.samples > 0 && records.length > 0) {
      for await (const chunk of dataPlane.readChunks(`SELECT * FROM records LIMIT ${options.samples}`)) {
        for (const row of chunk.rows) {
          sample.push(
            Object.fromEntries(chunk.columns.map((column, index) => [column.name, jsonSafe(row[index])])),
          );
        }
      }
    }
    return {
      ref: options.connection.ref,
      component: 'rest.extractor',
      url: describeUrl(source.url),
      records: recordsPath ?? '$',
      records_on_page: records.length,
      columns: columns.map((column) => ({ name: column.name, type: column.type })),
      sample,
      response_members: responseMembers(body, recordsPath),
      pagination_hints: paginationHints(body, response.headers.get('link')),
    };
  } finally {
    await dataPlane.close();
    await rm(directory, { recursive: true, force: true });
  }
}

function findRecordsPath(body: unknown): string | undefined {
  if (Array.isArray(body)) return '$';
  if (body === null || typeof body !== 'object') return undefined;
  const lists = Object.entries(body).filter(([, value]) => Array.isArray(value));
  return lists.length === 1 ? `$.${lists[0]![0]}` : undefined;
}

function responseMembers(body: unknown, recordsPath: string | undefined): { path: string; type: string }[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const members: { path: string; type: string }[] = [];
  const visit = (value: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [name, member] of Object.entries(value)) {
      const path = `${prefix}.${name}`;
      if (path === recordsPath) continue;
      const type = member === null ? 'null' : Array.isArray(member) ? 'list' : typeof member;
      members.push({ path, type });
      if (type === 'object' && depth < 2) visit(member as Record<string, unknown>, path, depth + 1);
    }
  };
  visit(body as Record<string, unknown>, '$', 0);
  return members;
}

const CURSOR_NAMES = /(^|_)(next_?)?(cursor|page_?token|continuation|after|next_token|marker)$/i;
const NEXT_URL_NAMES = /(^|\.)next(_?url|_?page|_?link)?$/i;

function paginationHints(body: unknown, link: string | null): string[] {
  const hints: string[] = [];
  if (linkNext(link))
    hints.push('paginate: { type: link_header }  (the response has a Link header with rel="next")');
  for (const member of responseMembers(body, undefined)) {
    const last = member.path.split('.').pop() ?? '';
    if (member.type === 'string' && NEXT_URL_NAMES.test(member.path) && looksLikeUrl(body, member.path)) {
      hints.push(`paginate: { type: next_url, next_url_path: ${member.path} }`);
    } else if ((member.type === 'string' || member.type === 'number') && CURSOR_NAMES.test(last)) {
      hints.push(
        `paginate: { type: cursor, cursor_path: ${member.path}, cursor_param: <the query parameter the API documents> }`,
      );
    }
  }
  return hints;
}

function looksLikeUrl(body: unknown, path: string): boolean {
  let value: unknown = body;
  for (const name of path.split('.').slice(1)) value = (value as Record<string, unknown>)?.[name];
  return (
    typeof value === 'string' &&
    (/^https?:\/\//.test(value) || value.startsWith('/') || value.startsWith('?'))
  );
}

function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonSafe(item)]));
  }
  return value;
}
