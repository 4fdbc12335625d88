import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/agent/chat-events.js';
import { openChat } from '../../src/agent/open-chat.js';
import { demoProject } from './support/chat-harness.js';

describe('SQL: mode (no model, no provider configured)', () => {
  it('builds a pipeline from the SQL with a preview, and runs it on approval', async () => {
    const projectDir = await demoProject();
    const events: ChatEvent[] = [];
    const chat = await openChat({
      cwd: projectDir,
      env: { PATH: process.env.PATH },
      onEvent: (event) => events.push(event),
    });
    try {
      expect(chat.settings).toBeUndefined();
      const proposed = await chat.agent.send(
        "SQL: SELECT m.title, m.release_year FROM movies m JOIN directors d ON d.id = m.director_id WHERE d.name = 'Ava DuVernay' ORDER BY m.release_year;",
      );
      expect(proposed.error).toBeUndefined();
      expect(proposed.outcome).toBe('proposed');
      expect(proposed.state).toBe('AWAIT_APPROVAL');
      expect(proposed.proposal).toMatchObject({ name: 'sql-movies', source: 'sql', revision: 1 });
      expect(proposed.proposal?.reads[0]).toMatchObject({
        component: 'duckdb.extractor',
        connection: '@duckdb.movies',
      });
      expect(proposed.proposal?.writes[0]).toMatchObject({ target: 'output/sql-movies.csv' });
      const preview = events.find((event) => event.type === 'notice' && event.text.startsWith('preview:'));
      expect(preview?.type === 'notice' && preview.text).toContain('Selma');

      const ran = await chat.agent.send('run it');
      expect(ran.outcome).toBe('ran');
      const csv = (await readFile(join(projectDir, 'output/sql-movies.csv'), 'utf8')).trim().split('\n');
      expect(csv[0]).toBe('title,release_year');
      expect(csv.slice(1, 3)).toEqual(['Middle of Nowhere,2012', 'Selma,2014']);
    } finally {
      chat.close();
    }
  });

  it('refuses statements that are not a single SELECT, and the session goes on', async () => {
    const projectDir = await demoProject();
    const chat = await openChat({ cwd: projectDir, env: { PATH: process.env.PATH } });
    try {
      const refused = await chat.agent.send('SQL: DELETE FROM movies');
      expect(refused.outcome).toBe('failed');
      expect(refused.error?.code).toBe('E_READ_ONLY_VIOLATION');
      const broken = await chat.agent.send('SQL: SELECT nope FROM movies');
      expect(broken.outcome).toBe('failed');
      expect(broken.state).toBe('ERROR');
      const fine = await chat.agent.send('SQL: SELECT id, name FROM directors');
      expect(fine.outcome).toBe('proposed');
    } finally {
      chat.close();
    }
  });

  it('explains how to configure a provider when a message needs the model', async () => {
    const projectDir = await demoProject();
    const events: ChatEvent[] = [];
    const chat = await openChat({
      cwd: projectDir,
      env: { PATH: process.env.PATH },
      onEvent: (event) => events.push(event),
    });
    try {
      const turn = await chat.agent.send('find director Ava DuVernay');
      expect(turn.outcome).toBe('not-configured');
      expect(turn.error?.code).toBe('E_PROVIDER_NOT_CONFIGURED');
      const hint = turn.error?.hint ?? '';
      for (const text of [
        'OPENAI_API_KEY',
        'ANTHROPIC_API_KEY',
        'GOOGLE_GENERATIVE_AI_API_KEY',
        '--provider ollama',
        'osiris.yaml',
        'SQL:',
      ]) {
        expect(hint).toContain(text);
      }
    } finally {
      chat.close();
    }
  });
});
