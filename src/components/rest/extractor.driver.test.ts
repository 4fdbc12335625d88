import type { IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { driver } from './extractor.driver.js';
import { json, startApi, type TestApi } from './testing/test-api.js';

/**
 * rest.extractor against real HTTP servers on loopback (node:http), no mocks: each pagination
 * style, each auth type, retries, timeouts, malformed pages and a large paginated source.
 */
const ORDERS = Array.from({ length: 7 }, (_, index) => ({
  id: index + 1,
  amount: (index + 1) * 1.5,
  customer: { name: `c${index + 1}`, tags: ['a', 'b'] },
}));

function connection(base: string, auth?: Record<string, unknown>): ResolvedConnection {
  return {
    family: 'rest',
    alias: 'shop',
    ref: '@rest.shop',
    fields: { base_url: base, ...(auth ? { auth } : {}) },
    secretFields: ['token', 'password', 'key', 'client_secret'],
  };
}

let harness: DriverHarness;
let api: TestApi | undefined;
beforeAll(async () => {
  harness = await createDriverHarness();
});
afterAll(async () => {
  await harness.close();
});
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function extract(config: Record<string, unknown>, auth?: Record<string, unknown>, stepId = 'orders') {
  const { result, ctx } = await harness.run(driver, {
    stepId,
    config: { connection: '@rest.shop', ...config },
    connection: connection(api!.base, auth),
  });
  return { result, ctx };
}

async function ids(table: string): Promise<number[]> {
  const rows: number[] = [];
  for await (const chunk of harness.dataPlane.readChunks(`SELECT id FROM ${table} ORDER BY id`)) {
    for (const row of chunk.rows) rows.push(Number(row[0]));
  }
  return rows;
}

const ALL_IDS = [1, 2, 3, 4, 5, 6, 7];

describe('rest.extractor pagination', () => {
  it('follows a cursor in the body until it is null', async () => {
    api = await startApi((_request, url, response) => {
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const next = start + 3 < ORDERS.length ? String(start + 3) : null;
      json(response, { data: ORDERS.slice(start, start + 3), next_cursor: next });
    });
    const { result, ctx } = await extract({
      path: '/orders',
      params: { status: 'paid' },
      records: '$.data',
      paginate: { type: 'cursor', cursor_path: '$.next_cursor', cursor_param: 'cursor' },
    });
    expect(result.rows).toBe(7);
    expect(await ids(result.table!)).toEqual(ALL_IDS);
    expect(api.requests.map((r) => `${r.url.pathname}?${r.url.searchParams}`)).toEqual([
      '/api/orders?status=paid',
      '/api/orders?status=paid&cursor=3',
      '/api/orders?status=paid&cursor=6',
    ]);
    // Nested objects are STRUCT columns, lists LIST columns; the schema is reported.
    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      'id BIGINT',
      'amount DOUBLE',
      'customer STRUCT("name" VARCHAR, tags VARCHAR[])',
    ]);
    const described = ctx.recorded.events.find((event) => event.name === 'source_described');
    expect(described?.fields.pages).toBe(3);
  });

  it('follows next_url in the body', async () => {
    api = await startApi((_request, url, response) => {
      const page = Number(url.searchParams.get('p') ?? 0);
      const next = (page + 1) * 3 < ORDERS.length ? `/api/orders?p=${page + 1}` : null;
      json(response, { results: ORDERS.slice(page * 3, page * 3 + 3), links: { next } });
    });
    const { result } = await extract({
      path: '/orders',
      paginate: { type: 'next_url', next_url_path: '$.links.next' },
    });
    expect(await ids(result.table!)).toEqual(ALL_IDS);
  });

  it('follows the Link header', async () => {
    api = await startApi((_request, url, response) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.ceil(ORDERS.length / 2);
      const link =
        page < last
          ? `<${api!.base}/orders?page=${page + 1}>; rel="next", <${api!.base}/orders?page=${last}>; rel="last"`
          : `<${api!.base}/orders?page=1>; rel="first"`;
      json(response, ORDERS.slice((page - 1) * 2, page * 2), 200, { link });
    });
    const { result } = await extract({ path: '/orders', paginate: { type: 'link_header' } });
    expect(await ids(result.table!)).toEqual(ALL_IDS);
    expect(api.requests).toHaveLength(4);
  });

  it('counts pages until an empty or short one', async () => {
    api = await startApi((_request, url, response) => {
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('per_page') ?? 3);
      json(response, { items: ORDERS.slice((page - 1) * size, page * size) });
    });
    const short = await extract({
      records: '$.items',
      paginate: { type: 'page', page_size_param: 'per_page', page_size: 3 },
    });
    expect(await ids(short.result.table!)).toEqual(ALL_IDS);
    expect(api.requests).toHaveLength(3);
    api.requests.length = 0;
    const empty = await extract({ records: '$.items', paginate: { type: 'page' } }, undefined, 'again');
    expect(await ids(empty.result.table!)).toEqual(ALL_IDS);
    expect(api.requests.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2', '3', '4']);
  });

  it('moves an offset by the records received', async () => {
    api = await startApi((_request, url, response) => {
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      json(response, { rows: ORDERS.slice(offset, offset + limit) });
    });
    const { result } = await extract({ records: '$.rows', paginate: { type: 'offset', limit: 4 } });
    expect(await ids(result.table!)).toEqual(ALL_IDS);
    expect(api.requests.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '4']);
  });

  it('makes one request without paginate and finds the only list in the body', async () => {
    api = await startApi((_request, _url, response) => json(response, { count: 7, orders: ORDERS }));
    const { result } = await extract({ path: 'orders' });
    expect(await ids(result.table!)).toEqual(ALL_IDS);
    expect(api.requests).toHaveLength(1);
  });
});

describe('rest.extractor auth', () => {
  const TOKEN = 'Planted-Bearer-Token-7731';
  const PASSWORD = 'Planted-Basic-Password-5521';
  const KEY = 'Planted-Api-Key-9902';
  const CLIENT_SECRET = 'Planted-Client-Secret-4410';
  const ACCESS = 'Planted-Access-Token-3307';

  function everything(ctx: { recorded: unknown }, error?: unknown): string {
    return JSON.stringify({ recorded: ctx.recorded, error: error ? String(error) : undefined });
  }

  it.each([
    [
      'bearer',
      { type: 'bearer', token: TOKEN },
      (r: IncomingMessage) => r.headers.authorization === `Bearer ${TOKEN}`,
    ],
    [
      'basic',
      { type: 'basic', user: 'ada', password: PASSWORD },
      (r: IncomingMessage) =>
        r.headers.authorization === `Basic ${Buffer.from(`ada:${PASSWORD}`).toString('base64')}`,
    ],
    [
      'api_key in a header',
      { type: 'api_key', name: 'X-Api-Key', in: 'header', key: KEY },
      (r: IncomingMessage) => r.headers['x-api-key'] === KEY,
    ],
    [
      'api_key in the query',
      { type: 'api_key', name: 'api_key', in: 'query', key: KEY },
      (r: IncomingMessage) => new URL(r.url!, 'http://x').searchParams.get('api_key') === KEY,
    ],
  ] as const)('%s: the API gets the credential, no output holds it', async (_name, auth, accepted) => {
    api = await startApi((request, _url, response) => {
      if (!accepted(request)) json(response, { error: 'unauthorized' }, 401);
      else json(response, ORDERS);
    });
    const { result, ctx } = await extract({}, auth);
    expect(result.rows).toBe(7);
    for (const secret of [TOKEN, PASSWORD, KEY]) expect(everything(ctx)).not.toContain(secret);

    // A refused credential: E_AUTH_FAILED, and the message holds no secret (not even a query key).
    const wrong = Object.fromEntries(
      Object.entries(auth).map(([field, value]) => [
        field,
        field === 'type' || field === 'name' || field === 'in' || field === 'user' ? value : `${value}-wrong`,
      ]),
    );
    const failure = await extract({}, wrong, 'refused').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_AUTH_FAILED' });
    const text = JSON.stringify({
      message: (failure as Error).message,
      details: (failure as { details: unknown }).details,
    });
    for (const secret of [TOKEN, PASSWORD, KEY]) expect(text).not.toContain(secret);
  });

  it('oauth2 client credentials: fetches a token once and sends it as a bearer token', async () => {
    api = await startApi((request, url, response) => {
      if (url.pathname === '/api/token') {
        const form = new URLSearchParams(api!.requests.at(-1)!.body);
        const basic = Buffer.from(`app:${CLIENT_SECRET}`).toString('base64');
        if (
          request.headers.authorization !== `Basic ${basic}` ||
          form.get('grant_type') !== 'client_credentials'
        )
          return json(response, { error: 'invalid_client' }, 401);
        return json(response, { access_token: ACCESS, token_type: 'bearer', scope: form.get('scope') });
      }
      if (request.headers.authorization !== `Bearer ${ACCESS}`) return json(response, {}, 401);
      const page = Number(url.searchParams.get('page'));
      json(response, ORDERS.slice((page - 1) * 4, page * 4));
    });
    const { result, ctx } = await extract(
      { paginate: { type: 'page', page_size: 4 } },
      {
        type: 'oauth2',
        token_url: `${api.base}/token`,
        client_id: 'app',
        client_secret: CLIENT_SECRET,
        scope: 'read',
      },
    );
    expect(await ids(result.table!)).toEqual(ALL_IDS);
    expect(api.requests.filter((r) => r.url.pathname === '/api/token')).toHaveLength(1);
    expect(new URLSearchParams(api.requests[0]!.body).get('scope')).toBe('read');
    for (const secret of [CLIENT_SECRET, ACCESS]) expect(everything(ctx)).not.toContain(secret);
  });
});

describe('rest.extractor failures', () => {
  it('waits the Retry-After of a 429, then continues', async () => {
    let calls = 0;
    api = await startApi((_request, _url, response) => {
      calls += 1;
      if (calls === 1) return json(response, { error: 'slow down' }, 429, { 'retry-after': '1' });
      json(response, ORDERS);
    });
    const { result, ctx } = await extract({});
    expect(result.rows).toBe(7);
    const retry = ctx.recorded.events.find((event) => event.name === 'connection_retry');
    expect(retry?.fields).toMatchObject({ attempt: 1, delay_ms: 1000, error_code: 'E_HTTP_STATUS' });
  });

  it('retries a 500 and succeeds', async () => {
    let calls = 0;
    api = await startApi((_request, _url, response) => {
      calls += 1;
      if (calls <= 2) return json(response, { error: 'oops' }, 500);
      json(response, ORDERS);
    });
    const { result } = await extract({});
    expect(result.rows).toBe(7);
    expect(calls).toBe(3);
  });

  it('gives up after its retries with E_HTTP_STATUS', async () => {
    api = await startApi((_request, _url, response) => json(response, { error: 'down' }, 503));
    const failure = await extract({ retries: 1 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_HTTP_STATUS', details: { status: 503 } });
    expect(api.requests).toHaveLength(2);
  });

  it('fails with E_TIMEOUT when the server never answers', async () => {
    api = await startApi(() => undefined); // accepts the request, never answers
    const failure = await extract({ timeout: 0.5, retries: 0 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_TIMEOUT' });
    expect((failure as Error).message).toMatch(/did not answer within 0.5 s/);
  });

  it('a malformed JSON page fails the step and leaves no table', async () => {
    api = await startApi((_request, url, response) => {
      const page = Number(url.searchParams.get('page'));
      if (page === 3) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end('[{"id": 7}, {"id": ');
      }
      json(response, ORDERS.slice((page - 1) * 3, page * 3));
    });
    const failure = await extract({ paginate: { type: 'page', page_size: 3 } }, undefined, 'malformed').catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'E_RESPONSE_INVALID' });
    expect((failure as Error).message).toMatch(/body that is not JSON/);
    const tables = [];
    for await (const chunk of harness.dataPlane.readChunks(
      "SELECT table_name FROM duckdb_tables() WHERE table_name = 'df_malformed'",
    ))
      tables.push(...chunk.rows);
    expect(tables).toEqual([]);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(harness.dataPlane.directory)).filter((file) => file.endsWith('.ndjson'))).toEqual(
      [],
    );
  });

  it('refuses a response over max_response_bytes', async () => {
    api = await startApi((_request, _url, response) =>
      json(
        response,
        Array.from({ length: 500 }, () => ORDERS[0]),
      ),
    );
    const failure = await extract({ max_response_bytes: 2048 }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_RESPONSE_TOO_LARGE' });
  });

  it('says where the lists are when records is missing', async () => {
    api = await startApi((_request, _url, response) => json(response, { a: [1], b: [2] }));
    const failure = await extract({}).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_RESPONSE_INVALID' });
    expect((failure as { hint: string }).hint).toContain('$.a, $.b');
  });
});

describe('rest.extractor volume', () => {
  it('reads 100,000 records over 1,000 pages holding one page at a time', async () => {
    const PAGES = 1000;
    const PER_PAGE = 100;
    let inFlight = 0;
    let maxInFlight = 0;
    let spilledAtHalf = 0;
    const { readdirSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    api = await startApi((_request, url, response) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const cursor = Number(url.searchParams.get('after') ?? 0);
      if (cursor === PAGES / 2) {
        // Halfway, the pages so far are on disk already, not in the driver's memory.
        const directory = harness.dataPlane.directory;
        const file = readdirSync(directory).find((name) => name.endsWith('.ndjson'));
        spilledAtHalf = file ? statSync(join(directory, file)).size : 0;
      }
      const data = Array.from({ length: PER_PAGE }, (_, index) => ({
        id: cursor * PER_PAGE + index + 1,
        note: 'x'.repeat(200),
        nested: { page: cursor },
      }));
      json(response, { data, next: cursor + 1 < PAGES ? cursor + 1 : null });
      inFlight -= 1;
    });
    const { result } = await extract(
      { records: '$.data', paginate: { type: 'cursor', cursor_path: '$.next', cursor_param: 'after' } },
      undefined,
      'volume',
    );
    expect(result.rows).toBe(PAGES * PER_PAGE);
    expect(api.requests).toHaveLength(PAGES);
    // One request at a time: the next page is asked for only after the previous was stored.
    expect(maxInFlight).toBe(1);
    expect(spilledAtHalf).toBeGreaterThan((PAGES / 2 - 1) * PER_PAGE * 200);
    for await (const chunk of harness.dataPlane.readChunks(
      `SELECT count(DISTINCT id), min(id), max(id), max(nested.page) FROM ${result.table}`,
    )) {
      expect(chunk.rows[0]!.map(Number)).toEqual([100_000, 1, 100_000, 999]);
    }
  }, 120_000);
});
