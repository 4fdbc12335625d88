// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` references are literal text here.
import { describe, expect, it } from 'vitest';
import type { ComponentSpec } from '../spec/component.js';
import { findInlineSecrets } from './config-secrets.js';

const spec: ComponentSpec = {
  name: 'test.secrets',
  version: '1.0.0',
  title: 'Secrets test',
  description: 'A component whose config names secret-looking keys.',
  modes: ['extract'],
  capabilities: {},
  configSchema: { type: 'object' },
  secrets: ['/auth/bearer'],
  examples: [],
  llmHints: { promptGuidance: 'test only' },
};

describe('findInlineSecrets', () => {
  it('finds literal secrets by name and by spec pointer, at any depth', () => {
    const found = findInlineSecrets(spec, {
      password: 'hunter2',
      api_key: 12345,
      auth: { bearer: 'abc', user: 'me' },
      options: [{ token: 'xyz' }],
    });
    expect(found).toEqual([['password'], ['api_key'], ['auth', 'bearer'], ['options', 0, 'token']]);
  });

  it('accepts ${VAR} references, empty values, flags and key columns', () => {
    const found = findInlineSecrets(spec, {
      password: '${DB_PASSWORD}',
      token: '',
      leak_secret: true,
      primary_key: ['id'],
      auth: { bearer: '${API_BEARER}' },
    });
    expect(found).toEqual([]);
  });
});
