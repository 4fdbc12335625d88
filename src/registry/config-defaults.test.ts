import { describe, expect, it } from 'vitest';
import { builtinSpecs } from '../composition/builtins.js';
import { applyConfigDefaults } from './config-defaults.js';

const spec = (name: string) => builtinSpecs.find((candidate) => candidate.name === name)!;

describe('applyConfigDefaults', () => {
  it('fills absent top-level defaults and sorts keys', () => {
    const config = { path: 'out/x.csv', delimiter: ';' };
    const filled = applyConfigDefaults(spec('filesystem.csv_writer'), config);
    expect(JSON.stringify(filled)).toBe(
      JSON.stringify({
        delimiter: ';',
        encoding: 'utf-8',
        header: true,
        newline: 'lf',
        path: 'out/x.csv',
        quoting: 'minimal',
      }),
    );
    expect(config).toEqual({ path: 'out/x.csv', delimiter: ';' });
  });

  it('keeps user values, including falsy ones, and keys without defaults', () => {
    const filled = applyConfigDefaults(spec('mysql.writer'), {
      table: 't',
      connection: '@mysql.db',
      create_if_missing: false,
      batch_size: 0,
    });
    expect(filled).toEqual({
      batch_size: 0,
      connection: '@mysql.db',
      create_if_missing: false,
      lock_timeout: 600,
      table: 't',
      write_mode: 'append',
    });
    expect(Object.keys(filled)).toEqual([
      'batch_size',
      'connection',
      'create_if_missing',
      'lock_timeout',
      'table',
      'write_mode',
    ]);
  });

  it('fills the postgres schema default', () => {
    expect(applyConfigDefaults(spec('postgres.extractor'), { connection: '@postgres', table: 'x' })).toEqual({
      connection: '@postgres',
      fetch_size: 10000,
      schema: 'public',
      table: 'x',
    });
  });

  it('returns copies of default values, never the spec objects themselves', () => {
    const custom = {
      ...spec('duckdb.processor'),
      configSchema: {
        type: 'object',
        additionalProperties: false,
        properties: { tags: { type: 'array', default: ['a'], description: 'tags' } },
      },
    };
    const filled = applyConfigDefaults(custom, {});
    (filled.tags as string[]).push('b');
    expect(applyConfigDefaults(custom, {})).toEqual({ tags: ['a'] });
  });
});
