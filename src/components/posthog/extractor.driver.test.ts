import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { driver } from './extractor.driver.js';

/**
 * posthog.extractor against a stand-in of PostHog's query endpoint on loopback (node:http): it
 * answers HogQL queries over a fixed list of events, reading the bounds the driver puts in them.
 */
const KEY = 'phx_Planted-PostHog-Key-8120';
const EVENTS = Array.from({ length: 7 }, (_, index) => [
  `0000000${index + 1}-uuid`,
  index % 2 === 0 ? '$pageview' : 'signup',
  `2026-01-0${index + 1}T10:00:00Z`,
  `user-${index % 3}`,
  JSON.stringify({ plan: index % 2 === 0 ? 'free' : 'pro' }),
]);

let server: Server;
let base = '';
const queries: string[] = [];
let harness: DriverHarness;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const ok = request.headers.authorization === `Bearer ${KEY}` && request.url === '/api/projects/42/query/';
    const query = (JSON.parse(text) as { query: { kind: string; query: string } }).query.query;
    queries.push(query);
    const since = /timestamp >= toDateTime\('([^']+)'\)/.exec(query)?.[1] ?? '';
    const afterId = /toString\(uuid\) > '([^']+)'/.exec(query)?.[1] ?? '';
    const limit = Number(/LIMIT (\d+)$/.exec(query)?.[1]);
    const rows = EVENTS.filter((event) => String(event[2]) >= since && String(event[0]) > afterId).slice(
      0,
      limit,
    );
    response.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        ok
          ? {
              columns: ['uuid', 'event', 'timestamp', 'distinct_id', 'properties'],
              results: rows,
              hasMore: false,
            }
          : { detail: 'forbidden' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness = await createDriverHarness();
});

afterAll(async () => {
  await harness.close();
  await new Promise((resolve) => server.close(resolve));
});

const connection = (): ResolvedConnection => ({
  family: 'posthog',
  alias: 'main',
  ref: '@posthog.main',
  fields: { base_url: base, project_id: 42, api_key: KEY },
  secretFields: ['api_key'],
});

describe('posthog.extractor', () => {
  it('pages through events from `since` in (timestamp, uuid) order', async () => {
    queries.length = 0;
    const { result, ctx } = await harness.run(driver, {
      stepId: 'events',
      config: {
        connection: '@posthog.main',
        data_type: 'events',
        since: '2026-01-02T00:00:00Z',
        page_size: 2,
      },
      connection: connection(),
    });
    expect(result.rows).toBe(6);
    expect(queries).toHaveLength(4); // three full pages, then an empty one ends
    expect(queries[1]).toContain("toString(uuid) > '00000003-uuid'");
    const ids: string[] = [];
    for await (const chunk of harness.dataPlane.readChunks(`SELECT uuid FROM ${result.table} ORDER BY uuid`))
      ids.push(...chunk.rows.map((row) => String(row[0])));
    expect(ids).toEqual(EVENTS.slice(1).map((event) => event[0]));
    expect(JSON.stringify(ctx.recorded)).not.toContain(KEY);
  });

  it('reads an incremental window: from the stored timestamp, before end_value, whatever `since` says', async () => {
    queries.length = 0;
    const stepId = 'recent';
    const ctx = harness.context(stepId, { connection: connection() });
    ctx.incremental = { cursor: 'timestamp', from: '2026-01-05T10:00:00Z', to: '2026-01-07T00:00:00Z' };
    const config = {
      connection: '@posthog.main',
      since: '2026-01-01T00:00:00Z',
      incremental: { cursor: 'timestamp' },
    };
    const result = await driver.run({ stepId, config, inputs: [], ctx });
    expect(queries[0]).toContain("timestamp >= toDateTime('2026-01-05T10:00:00Z')");
    expect(queries[0]).toContain("timestamp < toDateTime('2026-01-07T00:00:00Z')");
    expect(queries[0]).toContain("timestamp >= toDateTime('2026-01-01T00:00:00Z')");
    expect(result.rows).toBe(3); // Jan 5, 6 and 7: the stand-in honours only the first lower bound

    ctx.incremental = { cursor: 'uuid' };
    await expect(driver.run({ stepId, config, inputs: [], ctx })).rejects.toMatchObject({
      code: 'E_CURSOR_INVALID',
      message: expect.stringContaining('read incrementally on `timestamp`'),
    });
  });

  it('a refused key is E_AUTH_FAILED', async () => {
    const wrong = connection();
    wrong.fields.api_key = 'phx_wrong';
    const failure = await harness
      .run(driver, { stepId: 'refused', config: { connection: '@posthog.main' }, connection: wrong })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_AUTH_FAILED' });
  });
});
