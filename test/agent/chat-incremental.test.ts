import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { validateOml } from '../../src/oml/index.js';
import { type ChatHarness, startChatHarness } from './support/chat-harness.js';

let harness: ChatHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('chat proposes incremental pipelines', () => {
  it('"load new and changed orders every day" → discovery marks updated_at → a valid incremental proposal', async () => {
    const projectDir = await mkdtemp(join(tmpdir(), 'osiris-chat-incremental-'));
    const db = new Database(join(projectDir, 'shop.sqlite'));
    db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total DECIMAL(10,2), updated_at DATETIME NOT NULL);
      INSERT INTO orders VALUES (1, 10.50, '2024-01-01 10:00:00'), (2, 7.25, '2024-01-02 11:00:00');`);
    db.close();
    await writeFile(
      join(projectDir, 'osiris_connections.yaml'),
      'version: 1\nconnections:\n  sqlite:\n    shop: { path: shop.sqlite }\n',
    );
    harness = await startChatHarness({ scenario: 'agent-incremental-orders.yaml', projectDir });

    const turn = await harness.send('Load new and changed orders every day');

    expect(turn.error).toBeUndefined();
    expect(turn.outcome).toBe('proposed');
    expect(turn.proposal).toMatchObject({ name: 'orders-daily', status: 'pending' });
    const oml = turn.proposal?.oml ?? '';
    expect(oml).toContain('cursor: updated_at');
    // What the model saw: the guide's incremental rules and the marked cursor.
    const sent = JSON.stringify(harness.server.requests);
    expect(sent).toContain('cursor_candidates');
    expect(sent).toMatch(/cursor_candidates[^\]]*updated_at/);
    // The proposal validates as it stands.
    const result = validateOml(oml, { file: 'orders-daily.yaml', registry: createDefaultRegistry() });
    expect(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(harness.server.remaining()).toBe(0);
  }, 120_000);
});
