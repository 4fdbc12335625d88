// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files use `${VAR}` literally.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatHarness, startChatHarness } from './support/chat-harness.js';

/**
 * Issue 16: the agent (a scripted fake provider over the real protocol) discovers a REST source
 * served by node:http on loopback and proposes a pipeline from it to Parquet, which then runs.
 */
const TOKEN = 'Agent-Rest-Planted-Token-4417';
const ORDERS = Array.from({ length: 12 }, (_, index) => ({
  id: index + 1,
  total: (index + 1) * 2.5,
  customer: { name: `Customer ${index + 1}` },
}));

let harness: ChatHarness | undefined;
let server: Server | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('chat with a REST source', () => {
  it('discovers /orders and proposes rest.extractor → Parquet, which runs', async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      response.writeHead(request.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, {
        'content-type': 'application/json',
      });
      const start = Number(url.searchParams.get('cursor') ?? 0);
      response.end(
        JSON.stringify({
          data: ORDERS.slice(start, start + 5),
          next_cursor: start + 5 < ORDERS.length ? String(start + 5) : null,
        }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    const projectDir = await mkdtemp(join(tmpdir(), 'osiris-chat-rest-'));
    await writeFile(
      join(projectDir, 'osiris_connections.yaml'),
      `version: 1\nconnections:\n  rest:\n    shop:\n      base_url: ${base}\n      auth: { type: bearer, token: "\${SHOP_TOKEN}" }\n`,
    );
    await writeFile(join(projectDir, '.env'), `SHOP_TOKEN=${TOKEN}\n`);
    harness = await startChatHarness({
      scenario: 'agent-rest-to-parquet.yaml',
      projectDir,
      autoApprove: true,
    });

    const turn = await harness.send('Export the orders of the shop API to Parquet');

    expect(turn.error).toBeUndefined();
    expect(harness.statusLines()[0]).toBe(
      'discovering @rest.shop… 5 records at /orders (id, total, customer)',
    );
    expect(turn.outcome).toBe('ran');
    expect(turn.run?.outputs).toEqual([{ stepId: 'save', target: 'output/orders.parquet', rows: 12 }]);
    expect(readFileSync(join(projectDir, 'output/orders.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    // What the model saw of the API holds the schema and the hint, never the token.
    const sent = JSON.stringify(harness.server.requests);
    expect(sent).toMatch(/STRUCT\(\\*"name\\*" VARCHAR\)/);
    expect(sent).toContain('cursor_path: $.next_cursor');
    expect(sent).not.toContain(TOKEN);
    expect(harness.server.remaining()).toBe(0);
  }, 120_000);
});
