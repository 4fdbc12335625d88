import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { driver } from './extractor.driver.js';

/** graphql.extractor against a GraphQL endpoint on loopback (node:http) that pages with pageInfo. */
const TOKEN = 'Planted-GraphQL-Token-2291';
const NODES = Array.from({ length: 5 }, (_, index) => ({
  id: index + 1,
  customer: { name: `c${index + 1}` },
}));
const QUERY =
  'query Orders($after: String, $first: Int) { orders(first: $first, after: $after) { nodes { id customer { name } } pageInfo { hasNextPage endCursor } } }';

let server: Server;
let endpoint = '';
const bodies: { query: string; variables: Record<string, unknown> }[] = [];
let harness: DriverHarness;

beforeAll(async () => {
  server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const body = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
    bodies.push(body);
    response.writeHead(request.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, {
      'content-type': 'application/json',
    });
    if (body.query.includes('broken')) {
      return response.end(
        JSON.stringify({ errors: [{ message: 'Cannot query field "broken" on type "Query".' }] }),
      );
    }
    const start = body.variables.after === undefined ? 0 : Number(body.variables.after);
    const first = Number(body.variables.first);
    const nodes = NODES.slice(start, start + first);
    const end = start + nodes.length;
    response.end(
      JSON.stringify({
        data: { orders: { nodes, pageInfo: { hasNextPage: end < NODES.length, endCursor: String(end) } } },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  harness = await createDriverHarness();
});

afterAll(async () => {
  await harness.close();
  await new Promise((resolve) => server.close(resolve));
});

const connection = (): ResolvedConnection => ({
  family: 'graphql',
  alias: 'shop',
  ref: '@graphql.shop',
  fields: { base_url: endpoint, auth: { type: 'bearer', token: TOKEN } },
  secretFields: ['token'],
});

describe('graphql.extractor', () => {
  it('follows pageInfo.endCursor until hasNextPage is false', async () => {
    bodies.length = 0;
    const { result, ctx } = await harness.run(driver, {
      stepId: 'orders',
      config: {
        connection: '@graphql.shop',
        query: QUERY,
        variables: { first: 2 },
        records: '$.data.orders.nodes',
        page_info: '$.data.orders.pageInfo',
      },
      connection: connection(),
    });
    expect(result.rows).toBe(5);
    expect(bodies.map((body) => body.variables)).toEqual([
      { first: 2 },
      { first: 2, after: '2' },
      { first: 2, after: '4' },
    ]);
    const columns = await harness.dataPlane.columns(result.table!);
    expect(columns.map((column) => `${column.name} ${column.type}`)).toEqual([
      'id BIGINT',
      'customer STRUCT("name" VARCHAR)',
    ]);
    expect(JSON.stringify(ctx.recorded)).not.toContain(TOKEN);
  });

  it('reports the errors of a failed query', async () => {
    const failure = await harness
      .run(driver, {
        stepId: 'broken',
        config: { connection: '@graphql.shop', query: '{ broken }', records: '$.data.x' },
        connection: connection(),
      })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'E_SOURCE_READ_FAILED' });
    expect((failure as Error).message).toContain('Cannot query field "broken"');
  });
});
