import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../support/project.js';
import { eventsNamed, runIncremental, storedCursor } from './support.js';

const SQLITE_PIPELINE = `oml_version: "0.1.0"
name: orders-sqlite
steps:
  - id: orders
    component: sqlite.extractor
    mode: read
    config:
      path: data/shop.sqlite
      table: orders
      incremental:
        cursor: updated_at
  - id: out
    component: filesystem.csv_writer
    mode: write
    needs: [orders]
    config: { path: out/orders.csv }
`;

function seedSqlite(dir: string, rows: Array<[number, string]>): void {
  const db = new Database(join(dir, 'data/shop.sqlite'));
  db.exec('CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, updated_at DATETIME NOT NULL)');
  const upsert = db.prepare(
    'INSERT INTO orders (id, updated_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at',
  );
  for (const [id, at] of rows) upsert.run(id, at);
  db.close();
}

async function csvIds(dir: string): Promise<number[]> {
  const text = await readFile(join(dir, 'out/orders.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(',')[0]))
    .sort((a, b) => a - b);
}

describe('incremental extraction from a SQLite file', () => {
  it('reads everything first, then only rows at or after the stored cursor', async () => {
    const dir = await makeProject({ 'pipelines/orders-sqlite.yaml': SQLITE_PIPELINE, 'data/.keep': '' });
    seedSqlite(dir, [
      [1, '2024-01-01 10:00:00'],
      [2, '2024-01-02 10:00:00'],
      [3, '2024-01-03 10:00:00'],
    ]);
    const first = await runIncremental(dir, 'orders-sqlite');
    expect(first.status.status).toBe('success');
    expect(first.rowsRead.orders).toBe(3);
    expect(eventsNamed(first, 'state_loaded')[0]).toMatchObject({ origin: 'everything', from: null });
    expect(eventsNamed(first, 'state_committed')[0]).toMatchObject({ to: '2024-01-03 10:00:00', rows: 3 });
    expect(await storedCursor(dir, 'orders-sqlite', 'orders')).toMatchObject({
      value: '2024-01-03 10:00:00',
      kind: 'timestamp',
    });

    // A row with the same cursor as the last value, one later, one changed.
    seedSqlite(dir, [
      [4, '2024-01-03 10:00:00'],
      [5, '2024-01-04 09:00:00'],
      [1, '2024-01-05 08:00:00'],
    ]);
    const second = await runIncremental(dir, 'orders-sqlite');
    expect(second.status.status).toBe('success');
    expect(eventsNamed(second, 'state_loaded')[0]).toMatchObject({
      origin: 'state',
      from: '2024-01-03 10:00:00',
    });
    expect(second.rowsRead.orders).toBe(4);
    expect(await csvIds(dir)).toEqual([1, 3, 4, 5]);
    expect((await storedCursor(dir, 'orders-sqlite', 'orders'))?.value).toBe('2024-01-05 08:00:00');

    // Nothing new: the window is empty and the state stays.
    const third = await runIncremental(dir, 'orders-sqlite');
    expect(third.rowsRead.orders).toBe(1);
    expect((await storedCursor(dir, 'orders-sqlite', 'orders'))?.value).toBe('2024-01-05 08:00:00');

    // --full-refresh reads everything and stores what it saw.
    const full = await runIncremental(dir, 'orders-sqlite', { fullRefresh: true });
    expect(full.rowsRead.orders).toBe(5);
    expect(eventsNamed(full, 'state_loaded')[0]).toMatchObject({ origin: 'full_refresh' });
  });

  it('fails with E_CURSOR_INVALID, before the writer runs, when the cursor column is missing', async () => {
    const dir = await makeProject({
      'pipelines/orders-sqlite.yaml': SQLITE_PIPELINE.replace('cursor: updated_at', 'cursor: changed_at'),
      'data/.keep': '',
    });
    seedSqlite(dir, [[1, '2024-01-01 10:00:00']]);
    const run = await runIncremental(dir, 'orders-sqlite');
    expect(run.status.status).toBe('failed');
    expect(run.status.error?.code).toBe('E_CURSOR_INVALID');
    expect(run.status.error?.message).toContain('changed_at');
    expect(run.status.steps.find((step) => step.id === 'out')?.status).toBe('skipped');
    expect(await storedCursor(dir, 'orders-sqlite', 'orders')).toBeUndefined();
  });
});

describe('incremental extraction from a DuckDB file', () => {
  it('binds the window and applies lag and end_value', async () => {
    const pipeline = (incremental: string) => `oml_version: "0.1.0"
name: events-duckdb
steps:
  - id: events
    component: duckdb.extractor
    mode: read
    config:
      query: "SELECT * FROM range(1, 101) AS t(id)"
      incremental: ${incremental}
  - id: out
    component: filesystem.csv_writer
    mode: write
    needs: [events]
    config: { path: out/events.csv }
`;
    const dir = await makeProject({
      'pipelines/events-duckdb.yaml': pipeline('{ cursor: id, initial_value: 90 }'),
    });
    const first = await runIncremental(dir, 'events-duckdb');
    expect(first.status.status).toBe('success');
    expect(first.rowsRead.events).toBe(11);
    expect((await storedCursor(dir, 'events-duckdb', 'events'))?.value).toBe('100');

    await makeProjectFile(
      dir,
      'pipelines/events-duckdb.yaml',
      pipeline('{ cursor: id, initial_value: 90, lag: 5 }'),
    );
    const lagged = await runIncremental(dir, 'events-duckdb');
    expect(eventsNamed(lagged, 'state_loaded')[0]).toMatchObject({ from: '95', last_value: '100', lag: 5 });
    expect(lagged.rowsRead.events).toBe(6);

    await makeProjectFile(
      dir,
      'pipelines/events-duckdb.yaml',
      pipeline('{ cursor: id, initial_value: 10, end_value: 20 }'),
    );
    const backfill = await runIncremental(dir, 'events-duckdb');
    expect(backfill.rowsRead.events).toBe(10);
    expect(eventsNamed(backfill, 'state_committed')).toEqual([]);
    expect((await storedCursor(dir, 'events-duckdb', 'events'))?.value).toBe('100');
  });
});

async function makeProjectFile(dir: string, path: string, content: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, path), content);
}
