// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files use `${VAR}` literally.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { runCli } from '../support/cli.js';

/**
 * Issue 16: a REST API as a source through the built CLI. The API (node:http on loopback) wants a
 * bearer token planted in .env; discovery shows the records' schema, a pipeline copies them to
 * Parquet identically on the local and subprocess adapters, and the token reaches no output.
 */
const TOKEN = 'Rest-Planted-Token-6161';
let server: Server;
let base = '';
let project: string;
const osiris = (...args: string[]) => runCli(args, { cwd: project, timeoutMs: 120_000 });

const ORDERS = Array.from({ length: 25 }, (_, index) => ({
  id: index + 1,
  status: index % 2 === 0 ? 'paid' : 'open',
  total: Math.round((index + 1) * 10.25 * 100) / 100,
  customer: { name: `Customer ${index + 1}`, country: index % 3 === 0 ? 'FI' : 'UK' },
}));

beforeAll(async () => {
  expect(existsSync(join(REPO_ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401, { 'content-type': 'application/json' });
      return response.end('{"error":"unauthorized"}');
    }
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const page = ORDERS.slice(start, start + 10);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ data: page, next_cursor: start + 10 < ORDERS.length ? String(start + 10) : null }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  project = await mkdtemp(join(tmpdir(), 'osiris-rest-'));
  await writeFile(
    join(project, 'osiris_connections.yaml'),
    `version: 1\nconnections:\n  rest:\n    shop:\n      base_url: ${base}\n      auth: { type: bearer, token: "\${SHOP_TOKEN}" }\n`,
  );
  await writeFile(join(project, '.env'), `SHOP_TOKEN=${TOKEN}\n`);
  await writeFile(
    join(project, 'orders.yaml'),
    `oml_version: "0.1.0"
name: shop-orders
steps:
  - id: orders
    component: rest.extractor
    mode: read
    config:
      connection: "@rest.shop"
      path: /orders
      records: $.data
      paginate: { type: cursor, cursor_path: $.next_cursor, cursor_param: cursor }
  - id: flat
    component: duckdb.processor
    mode: transform
    needs: [orders]
    config: { query: "SELECT id, status, total, customer.name AS customer_name, customer.country AS country FROM input_df ORDER BY id" }
  - id: save
    component: filesystem.parquet_writer
    mode: write
    needs: [flat]
    config: { path: out/orders.parquet }
  - id: save-csv
    component: filesystem.csv_writer
    mode: write
    needs: [flat]
    config: { path: out/orders.csv }
`,
  );
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(project, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('REST API source', () => {
  it('discovers one page: schema, samples and the pagination it suggests', async () => {
    const text = await osiris('discover', '@rest.shop', '--path', '/orders', '--samples', '2');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('10 records on the first page (records: $.data)');
    expect(text.stdout).toMatch(/customer\s+STRUCT\("name" VARCHAR, country VARCHAR\)/);
    expect(text.stdout).toContain('paginate: { type: cursor, cursor_path: $.next_cursor');
    const json = await osiris('discover', '@rest.shop', '--path', '/orders', '--json');
    const body = JSON.parse(json.stdout);
    expect(body.columns.map((column: { name: string }) => column.name)).toEqual([
      'id',
      'status',
      'total',
      'customer',
    ]);
    expect(body.sample[0]).toEqual({
      id: 1,
      status: 'paid',
      total: 10.25,
      customer: { name: 'Customer 1', country: 'FI' },
    });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr])
      expect(output).not.toContain(TOKEN);
  }, 60_000);

  it('runs to Parquet identically on local and subprocess, the token in no output', async () => {
    const outputs: Record<string, Buffer[]> = {};
    let printed = '';
    for (const adapter of ['local', 'subprocess']) {
      const run = await osiris('run', 'orders.yaml', '--adapter', adapter);
      expect(run.code, run.stderr).toBe(0);
      printed += run.stdout + run.stderr;
      outputs[adapter] = [
        readFileSync(join(project, 'out/orders.parquet')),
        readFileSync(join(project, 'out/orders.csv')),
      ];
    }
    expect(outputs.subprocess).toEqual(outputs.local);
    const csv = outputs.local![1]!.toString('utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(26);
    expect(csv[1]).toBe('1,paid,10.25,Customer 1,FI');
    const logs = await osiris('logs', 'show', '--last', '--json');
    printed += logs.stdout;
    expect(printed).not.toContain(TOKEN);
    for (const file of filesUnder(project)) {
      if (file.endsWith('.env')) continue;
      expect(readFileSync(file).includes(TOKEN), file).toBe(false);
    }
  }, 180_000);

  it('a refused token fails the step with E_AUTH_FAILED', async () => {
    await writeFile(join(project, '.env'), 'SHOP_TOKEN=wrong-token\n');
    const run = await osiris('run', 'orders.yaml');
    await writeFile(join(project, '.env'), `SHOP_TOKEN=${TOKEN}\n`);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/E_AUTH_FAILED .*\/api\/orders answered 401/);
  }, 60_000);
});
