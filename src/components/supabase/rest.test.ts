import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakePostgrest,
  type FakeTable,
  startFakePostgrest,
} from '../../../test/fixtures/supabase/fake-postgrest.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { isOsirisError } from '../../spec/errors.js';
import { duckdbTextRows } from '../postgres/testing/postgres-test-kit.js';
import { driver as extractor } from './extractor.driver.js';
import { driver as writer } from './writer.driver.js';

const KEY = 'service-role-key-for-tests-0123456789';

function itemsTable(): FakeTable {
  return {
    columns: [
      { name: 'id', format: 'bigint', primaryKey: true },
      { name: 'amount', format: 'numeric' },
      { name: 'title', format: 'text', notNull: true },
      { name: 'created', format: 'timestamp with time zone' },
      { name: 'doc', format: 'jsonb' },
      { name: 'tags', format: 'text[]' },
      { name: 'payload', format: 'bytea' },
      { name: 'flag', format: 'boolean' },
    ],
    // Stored as PostgreSQL prints values; deliberately not in key order.
    rows: [
      row(
        '9007199254740993',
        '12.50',
        'big key',
        '2024-06-01 16:00:00.5+00',
        '{"a": [1, "é"]}',
        '{"x","y z",NULL}',
        '\\x00ff',
        't',
      ),
      row('1', '0.10', 'first', '1999-12-31 18:14:59+00', 'null', '{}', '\\x', 'f'),
      row('3', null, 'third "quoted", with comma', null, null, null, null, null),
      row('2', '-7', '', '2000-01-01 00:00:00+00', '[]', '{""}', '\\xdeadbeef', 't'),
      row('5', '1', 'emoji 😀\nnewline', '2024-01-01 00:00:00+00', '{}', '{"a\\"b"}', '\\x0a', 't'),
      row('4', '2.5', 'four', '2024-01-01 00:00:00+00', '{}', '{1}', '\\x', 'f'),
      row('6', '3', 'six', '2024-01-01 00:00:00+00', '{}', '{}', '\\x', 't'),
    ],
  };
}

function row(...values: (string | null)[]): Record<string, string | null> {
  const names = ['id', 'amount', 'title', 'created', 'doc', 'tags', 'payload', 'flag'];
  return Object.fromEntries(names.map((name, index) => [name, values[index] ?? null]));
}

function restConnection(url: string, key = KEY): ResolvedConnection {
  return {
    family: 'supabase',
    alias: 'rest',
    ref: '@supabase.rest',
    fields: { url, service_role_key: key },
    secretFields: ['service_role_key', 'key'],
  };
}

describe('supabase drivers over the REST API (local fake PostgREST)', () => {
  let harness: DriverHarness;
  let fake: FakePostgrest | undefined;

  beforeAll(async () => {
    harness = await createDriverHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const extract = async (
    stepId: string,
    config: Record<string, unknown>,
    connection?: ResolvedConnection,
  ) => {
    const ctx = harness.context(stepId, { connection: connection ?? restConnection(fake!.url) });
    const result = await extractor.run({
      stepId,
      config: { connection: '@supabase.rest', ...config },
      inputs: [],
      ctx,
    });
    return { ctx, result };
  };

  it('pages through a table ordered by its primary key, exact values, with the requests supabase-js sends', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() }, maxRows: 3 });
    const { result } = await extract('items', { table: 'items', fetch_size: 5 });
    expect(result.rows).toBe(7);

    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((column) => [column.name, column.type])).toEqual([
      ['id', 'BIGINT'],
      ['amount', 'DECIMAL(18,2)'],
      ['title', 'VARCHAR'],
      ['created', 'TIMESTAMP WITH TIME ZONE'],
      ['doc', 'JSON'],
      ['tags', 'VARCHAR[]'],
      ['payload', 'BLOB'],
      ['flag', 'BOOLEAN'],
    ]);
    const rows = await duckdbTextRows(
      harness.dataPlane,
      `SELECT CAST(id AS VARCHAR), CAST(amount AS VARCHAR), title, CAST(created AS VARCHAR), CAST(doc AS VARCHAR), CAST(tags AS VARCHAR), hex(payload), CAST(flag AS VARCHAR) FROM ${result.table}`,
    );
    expect(rows.map((values) => values[0])).toEqual(['1', '2', '3', '4', '5', '6', '9007199254740993']);
    expect(rows[6]).toEqual([
      '9007199254740993',
      '12.50',
      'big key',
      '2024-06-01 16:00:00.5+00',
      '{"a": [1, "é"]}',
      '[x, y z, NULL]',
      '00FF',
      'true',
    ]);
    expect(rows[2]).toEqual(['3', null, 'third "quoted", with comma', null, null, null, null, null]);
    expect(rows[1]?.slice(2, 7)).toEqual(['', '2000-01-01 00:00:00+00', '[]', "['']", 'DEADBEEF']);
    expect(rows[4]?.[2]).toBe('emoji 😀\nnewline');
    expect(rows[4]?.[5]).toBe("['a\"b']");

    const [openApi, ...pages] = fake.requests;
    expect(openApi).toMatchObject({
      method: 'GET',
      path: '/rest/v1/',
      headers: { apikey: KEY, authorization: `Bearer ${KEY}` },
    });
    expect(pages.map((request) => [request.method, request.path, request.query])).toEqual(
      [0, 3, 6, 7].map((offset) => [
        'GET',
        '/rest/v1/items',
        {
          select:
            'c0:id::text,c1:amount::text,c2:title::text,c3:created::text,c4:doc::text,c5:tags::text,c6:payload::text,c7:flag::text',
          order: 'id.asc',
          offset: String(offset),
          limit: '5',
        },
      ]),
    );
    for (const page of pages)
      expect(page.headers).toMatchObject({ apikey: KEY, authorization: `Bearer ${KEY}` });
  });

  it('reads chosen columns up to a limit, and stops asking once it has them', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() }, maxRows: 3 });
    const { result } = await extract('some', { table: 'items', columns: ['title', 'id'], limit: 4 });
    expect(result.rows).toBe(4);
    expect((await harness.dataPlane.columns(result.table!)).map((column) => column.name)).toEqual([
      'title',
      'id',
    ]);
    const pages = fake.requests.filter((request) => request.path === '/rest/v1/items');
    expect(pages.map((request) => [request.query.select, request.query.offset, request.query.limit])).toEqual(
      [
        ['c0:title::text,c1:id::text', '0', '4'],
        ['c0:title::text,c1:id::text', '3', '1'],
      ],
    );
  });

  it('reads mixed-sign intervals, in arrays too', async () => {
    fake = await startFakePostgrest({
      key: KEY,
      tables: {
        spans: {
          columns: [
            { name: 'id', format: 'bigint', primaryKey: true },
            { name: 'span', format: 'interval' },
            { name: 'spans', format: 'interval[]' },
          ],
          rows: [
            { id: '1', span: '-3 days +04:05:06', spans: '{"-3 days +04:05:06",NULL}' },
            { id: '2', span: '1 year -2 mons +3 days -04:05:06.7', spans: '{}' },
            { id: '3', span: null, spans: null },
          ],
        },
      },
    });
    const { result } = await extract('spans', { table: 'spans' });
    expect(
      await duckdbTextRows(
        harness.dataPlane,
        `SELECT CAST(span AS VARCHAR), CAST(spans AS VARCHAR) FROM ${result.table} ORDER BY id`,
      ),
    ).toEqual([
      ['-3 days 04:05:06', "['-3 days 04:05:06', NULL]"],
      ['10 months 3 days -04:05:06.7', '[]'],
      [null, null],
    ]);
  });

  it('retries transient 503s and reports each retry', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() }, failFirstRequests: 2 });
    const { ctx, result } = await extract('retried', { table: 'items' });
    expect(result.rows).toBe(7);
    expect(ctx.recorded.events.filter((event) => event.name === 'connection_retry')).toHaveLength(2);
  });

  it('upserts in batches with merge-duplicates on the primary key, idempotently, values exact', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() } });
    const table = harness.dataPlane.tableFor('upstream');
    await harness.dataPlane.run(
      `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM (VALUES
        (9007199254740993::BIGINT, 99.99::DECIMAL(10,2), 'big key updated', TIMESTAMPTZ '2024-06-01 12:00:00.5-04', '{"n": 1.5, "list": [true, null]}'::JSON, ['a', 'b c', NULL], '\\x00\\xFF'::BLOB, true),
        (7, NULL, '', NULL, NULL, [], ''::BLOB, false),
        (8, 0.01, 'eight', TIMESTAMPTZ '2024-01-01 00:00:00+00', '"text"'::JSON, ['"quoted"'], NULL, NULL)
      ) AS t(id, amount, title, created, doc, tags, payload, flag)`,
    );
    const write = async (stepId: string) => {
      const ctx = harness.context(stepId, { connection: restConnection(fake!.url) });
      return writer.run({
        stepId,
        config: {
          connection: '@supabase.rest',
          table: 'items',
          write_mode: 'upsert',
          primary_key: 'id',
          batch_size: 2,
        },
        inputs: [{ stepId: 'upstream', table }],
        ctx,
      });
    };
    expect(await write('upsert-1')).toEqual({ rows: 3 });
    expect(await write('upsert-2')).toEqual({ rows: 3 });
    expect(fake.tables.items?.rows).toHaveLength(9);

    const posts = fake.requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(4);
    for (const post of posts) {
      expect(post.path).toBe('/rest/v1/items');
      expect(post.query).toEqual({
        on_conflict: 'id',
        columns: '"id","amount","title","created","doc","tags","payload","flag"',
      });
      expect(post.headers).toMatchObject({
        prefer: 'resolution=merge-duplicates',
        apikey: KEY,
        authorization: `Bearer ${KEY}`,
      });
    }
    expect(posts[0]?.body).toEqual([
      {
        id: '9007199254740993',
        amount: '99.99',
        title: 'big key updated',
        created: '2024-06-01 16:00:00.5+00',
        doc: { n: 1.5, list: [true, null] },
        tags: '{"a","b c",NULL}',
        payload: '\\x00FF',
        flag: 'true',
      },
      {
        id: '7',
        amount: null,
        title: '',
        created: null,
        doc: null,
        tags: '{}',
        payload: '\\x',
        flag: 'false',
      },
    ]);
    expect(posts[1]?.body).toEqual([
      {
        id: '8',
        amount: '0.01',
        title: 'eight',
        created: '2024-01-01 00:00:00+00',
        doc: 'text',
        tags: '{"\\"quoted\\""}',
        payload: null,
        flag: null,
      },
    ]);
    const updated = fake.tables.items?.rows.find((stored) => stored.id === '9007199254740993');
    expect(updated).toMatchObject({ title: 'big key updated', amount: '99.99', flag: 't' });
  });

  it('appends with plain inserts and reports a duplicate key as E_WRITE_FAILED', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() } });
    const table = harness.dataPlane.tableFor('append-input');
    await harness.dataPlane.run(
      `CREATE OR REPLACE TABLE ${table} AS SELECT 100 + range AS id, 'new' AS title FROM range(3)`,
    );
    const run = (stepId: string) =>
      writer.run({
        stepId,
        config: { connection: '@supabase.rest', table: 'items' },
        inputs: [{ stepId: 'append-input', table }],
        ctx: harness.context(stepId, { connection: restConnection(fake!.url) }),
      });
    expect(await run('append-1')).toEqual({ rows: 3 });
    const post = fake.requests.find((request) => request.method === 'POST');
    expect(post?.headers.prefer).toBeUndefined();
    expect(post?.query).toEqual({ columns: '"id","title"' });
    const failure = await run('append-2').catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(fake.tables.items?.rows).toHaveLength(10);
  });

  it('refuses replace over REST, and query without a dsn', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() } });
    const table = harness.dataPlane.tableFor('replace-input');
    await harness.dataPlane.run(`CREATE OR REPLACE TABLE ${table} AS SELECT 1 AS id, 'x' AS title`);
    const replace = await writer
      .run({
        stepId: 'replace',
        config: { connection: '@supabase.rest', table: 'items', write_mode: 'replace', primary_key: 'id' },
        inputs: [{ stepId: 'replace-input', table }],
        ctx: harness.context('replace', { connection: restConnection(fake.url) }),
      })
      .catch((error: unknown) => error);
    expect(isOsirisError(replace) && replace.code).toBe('E_USAGE');
    expect(isOsirisError(replace) && replace.hint).toMatch(/dsn/);
    const query = await extract('query', { query: 'SELECT 1' }).catch((error: unknown) => error);
    expect(isOsirisError(query) && query.code).toBe('E_USAGE');
    expect(fake.requests).toHaveLength(0);
  });

  it('fails a wrong key with E_AUTH_FAILED, without the key', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() } });
    const wrong = 'wrong-key-0123456789-abcdef';
    const failure = await extract('denied', { table: 'items' }, restConnection(fake.url, wrong)).catch(
      (error: unknown) => error,
    );
    expect(isOsirisError(failure) && failure.code).toBe('E_AUTH_FAILED');
    expect(JSON.stringify((failure as { toJSON(): object }).toJSON())).not.toContain(wrong);
  });

  it('names a table the API does not expose, and leaves no table behind', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: { items: itemsTable() } });
    const failure = await extract('absent', { table: 'absent' }).catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_QUERY_FAILED');
    expect(isOsirisError(failure) && failure.message).toMatch(/public\.absent/);
    await expect(harness.dataPlane.columns(harness.dataPlane.tableFor('absent'))).rejects.toThrow(/no table/);
  });
});
