import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSIONS_DATABASE, SessionStore } from './session-store.js';

const projectDir = () => mkdtempSync(path.join(tmpdir(), 'osiris-sessions-'));

describe('SessionStore', () => {
  it('keeps sessions, messages in order and events across reopenings', async () => {
    const dir = projectDir();
    const store = await SessionStore.open(dir);
    const session = store.create(new Date('2025-01-02T03:04:05Z'));
    expect(session.id).toMatch(/^chat-20250102-030405-[0-9a-f]{4}$/);
    session.title = 'find Ava';
    session.state = 'AWAIT_APPROVAL';
    session.context.connections['@duckdb.movies'] = {
      tables: [{ name: 'movies', columns: ['id'] }],
      discoveredAt: 'now',
    };
    store.save(session);
    store.appendMessages(session.id, [
      { role: 'user', content: 'find Ava' },
      { role: 'assistant', content: 'Found her.' },
    ]);
    store.appendMessages(session.id, [{ role: 'user', content: 'thanks' }]);
    store.recordEvent(session.id, 'metric', { kind: 'llm_call', input_tokens: 10, output_tokens: 3 });
    store.recordEvent(session.id, 'metric', { kind: 'llm_call', input_tokens: 5, output_tokens: 2 });
    store.close();

    const reopened = await SessionStore.open(dir);
    try {
      expect(reopened.latest()).toMatchObject({ id: session.id, title: 'find Ava', state: 'AWAIT_APPROVAL' });
      expect(reopened.get(session.id)?.context.connections['@duckdb.movies']?.tables[0]?.name).toBe('movies');
      expect(reopened.messages(session.id).map((message) => message.content)).toEqual([
        'find Ava',
        'Found her.',
        'thanks',
      ]);
      expect(reopened.events(session.id, 'metric')).toHaveLength(2);
      expect(reopened.list()).toEqual([
        expect.objectContaining({ id: session.id, messages: 3, inputTokens: 15, outputTokens: 5 }),
      ]);
    } finally {
      reopened.close();
    }
  });

  it('names recent sessions when an id is unknown', async () => {
    const store = await SessionStore.open(projectDir());
    try {
      const session = store.create();
      expect(() => store.require('chat-nope')).toThrow(
        expect.objectContaining({ code: 'E_SESSION_NOT_FOUND', hint: expect.stringContaining(session.id) }),
      );
    } finally {
      store.close();
    }
  });

  it('passes every text it writes through the redactor', async () => {
    const dir = projectDir();
    const store = await SessionStore.open(dir, { redact: (text) => text.replaceAll('hunter22', '***') });
    const session = store.create();
    session.title = 'my password is hunter22';
    store.save(session);
    store.appendMessages(session.id, [{ role: 'user', content: 'hunter22' }]);
    store.recordEvent(session.id, 'error', { message: 'login hunter22 failed' });
    store.close();
    const bytes = ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(path.join(dir, `${SESSIONS_DATABASE}${suffix}`)).toString('latin1');
      } catch {
        return '';
      }
    });
    expect(bytes.join('')).not.toContain('hunter22');
  });
});
