import { describe, expect, it } from 'vitest';
import { ErrorCodes, isOsirisError } from '../../spec/errors.js';
import { parseSourceConfig, parseTargetConfig } from './database-config.js';

const DEFAULTS = { batchSize: 5000, lockTimeoutSeconds: 600 };

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isOsirisError(error) ? `${error.code}: ${error.message}` : String(error);
  }
  return undefined;
}

describe('database component config', () => {
  it('reads a table or a query, never both or neither', () => {
    expect(parseSourceConfig({ table: 'movies', columns: 'title', limit: 5 }, 'x.extractor')).toEqual({
      table: 'movies',
      columns: ['title'],
      limit: 5,
    });
    expect(parseSourceConfig({ query: 'SELECT 1' }, 'x.extractor')).toEqual({ query: 'SELECT 1' });
    for (const config of [{}, { table: 't', query: 'SELECT 1' }]) {
      expect(codeOf(() => parseSourceConfig(config, 'mysql.extractor'))).toMatch(
        /^E_USAGE: mysql\.extractor: set exactly one of `query` or `table`/,
      );
    }
  });

  it('reports every config mistake of every database component as a usage error naming the key', () => {
    const mistakes: Array<[string, () => unknown, RegExp]> = [
      ['limit', () => parseSourceConfig({ table: 't', limit: -1 }, 'mysql.extractor'), /`limit` must be/],
      ['columns', () => parseSourceConfig({ table: 't', columns: [] }, 'postgres.extractor'), /`columns`/],
      ['table', () => parseTargetConfig({}, 'mysql.writer', DEFAULTS), /`table` is required/],
      [
        'write_mode',
        () => parseTargetConfig({ table: 't', write_mode: 'merge' }, 'mysql.writer', DEFAULTS),
        /write_mode "merge"/,
      ],
      [
        'lock_timeout',
        () => parseTargetConfig({ table: 't', lock_timeout: 0 }, 'postgres.writer', DEFAULTS),
        /`lock_timeout` must be at least 1/,
      ],
      [
        'create_if_missing',
        () => parseTargetConfig({ table: 't', create_if_missing: 'yes' }, 'mysql.writer', DEFAULTS),
        /`create_if_missing` must be true or false/,
      ],
    ];
    for (const [key, work, message] of mistakes) {
      const result = codeOf(work);
      expect(result, key).toMatch(new RegExp(`^${ErrorCodes.USAGE}: `));
      expect(result, key).toMatch(message);
    }
  });

  it('fills the defaults a writer gives', () => {
    expect(parseTargetConfig({ table: 'orders' }, 'mysql.writer', DEFAULTS)).toMatchObject({
      table: 'orders',
      mode: 'append',
      createIfMissing: true,
      batchSize: 5000,
      lockTimeoutSeconds: 600,
    });
  });
});
