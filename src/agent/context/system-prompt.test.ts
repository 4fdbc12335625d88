import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../composition/builtins.js';
import { parseConnectionsFile } from '../../connections/parse-connections-file.js';
import type { SessionRecord } from '../session/session-types.js';
import { buildComponentContext } from './component-context.js';
import { connectionForModel } from './connection-context.js';
import { loadCustomPrompts } from './custom-prompts.js';
import { buildSystemPrompt } from './system-prompt.js';

const PASSWORD = 'pl4nted-S3cret-value';
const registry = createDefaultRegistry();
const connections = parseConnectionsFile(
  `version: 1
connections:
  mysql:
    movies:
      default: true
      host: db.internal.example
      user: analyst
      database: movies
      password: ${PASSWORD}
  postgres:
    warehouse:
      host: localhost
      database: dw
      user: loader
      password: \${PG_PASSWORD}
`,
  '/project/osiris_connections.yaml',
).map((raw) => connectionForModel(raw, { PG_PASSWORD: 'another-secret-1' }));

describe('the model context', () => {
  it('names connections by reference and database only: no hosts, users or secrets', () => {
    expect(connections).toEqual([
      { ref: '@mysql.movies', family: 'mysql', default: true, database: 'movies' },
      { ref: '@postgres.warehouse', family: 'postgres', default: false, database: 'dw' },
    ]);
    const prompt = buildSystemPrompt({ registry, connections });
    for (const hidden of [PASSWORD, 'another-secret-1', 'db.internal.example', 'analyst'])
      expect(prompt).not.toContain(hidden);
    expect(prompt).toContain('- @mysql.movies (mysql, movies, default)');
  });

  it('describes every component with its required keys and guidance, without secret fields', () => {
    const context = buildComponentContext(registry);
    expect(context.map((entry) => entry.name)).toEqual(registry.names());
    const mysql = context.find((entry) => entry.name === 'mysql.extractor');
    expect(mysql).toMatchObject({
      modes: ['read'],
      connectionFamilies: ['mysql'],
      required: ['connection', 'query|table'],
    });
    expect([...(mysql?.optional ?? []), ...(mysql?.required ?? [])].join(' ')).not.toMatch(/\bpassword\b/);
    const prompt = buildSystemPrompt({ registry, connections });
    expect(prompt).toContain('### filesystem.csv_writer (mode: write)');
    expect(prompt).toContain('required: path');
  });

  it('carries what the session discovered, the pending pipeline and FAST mode', () => {
    const session: SessionRecord = {
      id: 'chat-x',
      createdAt: '',
      updatedAt: '',
      title: '',
      state: 'AWAIT_APPROVAL',
      context: {
        connections: {
          '@mysql.movies': { tables: [{ name: 'directors', columns: ['id', 'name'] }], discoveredAt: '' },
        },
      },
      proposal: {
        name: 'x',
        oml: 'oml_version: "0.1.0"\nname: x\n',
        reads: [],
        writes: [],
        warnings: [],
        source: 'model',
        status: 'pending',
        revision: 2,
        createdAt: '',
      },
    };
    const prompt = buildSystemPrompt({ registry, connections, session, fast: true });
    expect(prompt).toContain('- @mysql.movies: directors(id, name)');
    expect(prompt).toContain("Pipeline awaiting the user's approval (revision 2)");
    expect(prompt).toContain('FAST mode');
  });

  it('pro mode: system.md replaces the instructions and other files are added', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'osiris-prompts-'));
    mkdirSync(path.join(dir, '.osiris', 'prompts'), { recursive: true });
    writeFileSync(path.join(dir, '.osiris', 'prompts', 'system.md'), 'You are the ACME data assistant.');
    writeFileSync(path.join(dir, '.osiris', 'prompts', 'naming.md'), 'Name outputs acme_<topic>.csv.');
    const custom = loadCustomPrompts(dir);
    const prompt = buildSystemPrompt({ registry, connections, custom });
    expect(prompt.startsWith('You are the ACME data assistant.')).toBe(true);
    expect(prompt).not.toContain('You are Osiris');
    expect(prompt).toContain(
      '## Project instructions (.osiris/prompts/naming.md)\nName outputs acme_<topic>.csv.',
    );
    expect(prompt).toContain('### mysql.extractor');
  });
});
