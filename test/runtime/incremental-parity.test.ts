import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLocalAdapter } from '../../src/runtime/adapters/local.js';
import { createSubprocessAdapter } from '../../src/runtime/adapters/subprocess.js';
import { storedCursor } from '../incremental/support.js';
import { observeRun } from '../support/parity.js';
import { makeProject } from '../support/project.js';

/** An incremental pipeline (parity.ts style): the worker gets the window, the host stores the value. */
const PIPELINE = `oml_version: "0.1.0"
name: incremental
steps:
  - { id: orders, component: sqlite.extractor, mode: read, config: { path: data/shop.sqlite, table: orders, incremental: { cursor: updated_at, lag: 60 } } }
  - { id: out-csv, component: filesystem.csv_writer, mode: write, needs: [orders], config: { path: out/orders.csv } }
`;

function seed(dir: string, rows: Array<[number, string]>): void {
  const db = new Database(join(dir, 'data/shop.sqlite'));
  db.exec('CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, updated_at DATETIME NOT NULL)');
  const upsert = db.prepare(
    'INSERT INTO orders VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at',
  );
  for (const row of rows) upsert.run(...row);
  db.close();
}

describe('an incremental pipeline runs identically on the local and subprocess adapters', () => {
  it('gives the same windows, events, metrics, outputs and stored state over two runs', async () => {
    const dirs = await Promise.all(
      [0, 1].map(() => makeProject({ 'pipelines/incremental.yaml': PIPELINE, 'data/.keep': '' })),
    );
    const adapters = [createLocalAdapter({ concurrency: 1 }), createSubprocessAdapter({ concurrency: 1 })];
    for (const dir of dirs)
      seed(dir, [
        [1, '2024-01-01 10:00:00'],
        [2, '2024-01-02 10:00:00'],
      ]);
    const first = await Promise.all(
      dirs.map((dir, index) => observeRun(dir, adapters[index]!, 'incremental')),
    );
    for (const dir of dirs)
      seed(dir, [
        [3, '2024-01-02 09:59:30'],
        [1, '2024-01-03 10:00:00'],
      ]);
    const second = await Promise.all(
      dirs.map((dir, index) => observeRun(dir, adapters[index]!, 'incremental')),
    );
    for (const runs of [first, second]) {
      const [local, remote] = runs as [
        Awaited<ReturnType<typeof observeRun>>,
        Awaited<ReturnType<typeof observeRun>>,
      ];
      expect(local.status).toBe('success');
      expect(remote.status).toBe(local.status);
      expect(remote.events).toEqual(local.events);
      expect(remote.metrics).toEqual(local.metrics);
      expect(remote.outputs).toEqual(local.outputs);
    }
    const committed = second[1]!.events.find((event) => event.event === 'state_committed');
    expect(committed).toMatchObject({ from: '2024-01-02 09:59:00', to: '2024-01-03 10:00:00', rows: 3 });
    const states = await Promise.all(dirs.map((dir) => storedCursor(dir, 'incremental', 'orders')));
    expect(states[1]?.value).toBe('2024-01-03 10:00:00');
    expect(states[1]?.value).toBe(states[0]?.value);
  });
});
