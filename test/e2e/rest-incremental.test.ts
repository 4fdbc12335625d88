import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/oml/built-cli.js';
import { runCli } from '../support/cli.js';

/**
 * Issue 16: rest.extractor with `incremental`, through the built CLI. The API filters by an
 * `updated_since` parameter, but sloppily (it also sends one stale record): the second run asks
 * from the stored cursor and keeps only the records inside its window.
 */
let server: Server;
let project: string;
const sinceSeen: (string | null)[] = [];
const records = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    updated_at: `2026-03-0${Math.floor(index / 3) + 1}T0${index % 3}:00:00Z`,
    amount: (index + 1) * 2,
  }));
let available = records(6);

/** What the API considers "since": ISO text with or without `T` and zone, read as UTC. */
function instant(text: string): number {
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  return Date.parse(/Z|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

beforeAll(async () => {
  expect(existsSync(join(REPO_ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true);
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const since = url.searchParams.get('updated_since');
    sinceSeen.push(since);
    const fresh =
      since === null ? available : available.filter((r) => instant(r.updated_at) >= instant(since));
    // A sloppy API: the oldest record comes along whatever the filter says.
    const sent = since === null ? fresh : [available[0]!, ...fresh];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: sent }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  project = await mkdtemp(join(tmpdir(), 'osiris-rest-incremental-'));
  await writeFile(
    join(project, 'osiris_connections.yaml'),
    `version: 1\nconnections:\n  rest:\n    shop:\n      base_url: ${base}\n`,
  );
  await writeFile(
    join(project, 'changes.yaml'),
    `oml_version: "0.1.0"
name: shop-changes
steps:
  - id: changes
    component: rest.extractor
    mode: read
    config:
      connection: "@rest.shop"
      path: /changes
      records: $.data
      incremental: { cursor: updated_at, param: updated_since }
  - id: save
    component: filesystem.csv_writer
    mode: write
    needs: [changes]
    config: { path: out/changes.csv }
`,
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ids = () =>
  readFileSync(join(project, 'out/changes.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[0]));

it('reads everything first, then only what changed since the stored cursor', async () => {
  const first = await runCli(['run', 'changes.yaml'], { cwd: project, timeoutMs: 120_000 });
  expect(first.code, first.stderr).toBe(0);
  expect(ids()).toEqual([1, 2, 3, 4, 5, 6]);
  expect(sinceSeen).toEqual([null]);

  available = records(9);
  const second = await runCli(['run', 'changes.yaml'], { cwd: project, timeoutMs: 120_000 });
  expect(second.code, second.stderr).toBe(0);
  // From the last cursor (record 6, included again: `>=`), never the stale record 1 the API added.
  expect(instant(String(sinceSeen[1]))).toBe(instant('2026-03-02T02:00:00Z'));
  expect(ids()).toEqual([6, 7, 8, 9]);

  const state = await runCli(['state', 'show', 'shop-changes', '--json'], { cwd: project });
  expect(state.code, state.stderr).toBe(0);
  expect(instant(JSON.stringify(state.stdout).match(/2026-03-03[ T]02:00:00/)?.[0] ?? '')).toBe(
    instant('2026-03-03T02:00:00Z'),
  );
});
