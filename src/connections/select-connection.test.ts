import { describe, expect, it } from 'vitest';
import { isOsirisError, type OsirisError } from '../spec/errors.js';
import { parseConnectionRef } from './connection-ref.js';
import { selectConnection } from './select-connection.js';
import type { ConnectionsConfig, RawConnection } from './types.js';

const FILE = '/project/osiris_connections.yaml';

function config(entries: Array<[string, string, boolean?]>): ConnectionsConfig {
  const connections: RawConnection[] = entries.map(([family, alias, isDefault]) => ({
    family,
    alias,
    isDefault: isDefault ?? false,
    fields: {},
    file: FILE,
  }));
  return { file: FILE, projectDir: '/project', connections, env: {} };
}

function errorOf(run: () => unknown): OsirisError {
  try {
    run();
  } catch (error) {
    if (isOsirisError(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('parseConnectionRef', () => {
  it('parses @family.alias and @family', () => {
    expect(parseConnectionRef('@mysql.movies')).toEqual({ family: 'mysql', alias: 'movies' });
    expect(parseConnectionRef('@supabase')).toEqual({ family: 'supabase' });
    expect(parseConnectionRef('@my_db.alias-2')).toEqual({ family: 'my_db', alias: 'alias-2' });
  });

  it('rejects other shapes with E_USAGE and the expected shape as hint', () => {
    for (const bad of ['mysql.movies', '@', '@mysql.', '@mysql.movies.extra', '@1x.y', '@MySQL.a', '']) {
      const error = errorOf(() => parseConnectionRef(bad));
      expect(error.code).toBe('E_USAGE');
      expect(error.hint).toContain('@family.alias');
    }
  });
});

describe('selectConnection', () => {
  it('picks the alias named in the ref', () => {
    expect(
      selectConnection(
        config([
          ['mysql', 'a'],
          ['mysql', 'b'],
        ]),
        '@mysql.b',
      ).alias,
    ).toBe('b');
  });

  it('@family picks `default: true` first, then the alias named default', () => {
    expect(
      selectConnection(
        config([
          ['mysql', 'default'],
          ['mysql', 'main', true],
        ]),
        '@mysql',
      ).alias,
    ).toBe('main');
    expect(
      selectConnection(
        config([
          ['mysql', 'other'],
          ['mysql', 'default'],
        ]),
        '@mysql',
      ).alias,
    ).toBe('default');
  });

  it('@family with no default is ambiguous and the error lists the aliases', () => {
    const error = errorOf(() =>
      selectConnection(
        config([
          ['mysql', 'movies'],
          ['mysql', 'analytics'],
          ['pg', 'x'],
        ]),
        '@mysql',
      ),
    );
    expect(error.code).toBe('E_CONNECTION_AMBIGUOUS');
    expect(error.message).toContain('movies, analytics');
    expect(error.hint).toContain('default: true');
    expect(error.details).toMatchObject({ aliases: ['movies', 'analytics'] });
  });

  it('a single alias without default is still not guessed', () => {
    expect(errorOf(() => selectConnection(config([['mysql', 'movies']]), '@mysql')).code).toBe(
      'E_CONNECTION_AMBIGUOUS',
    );
  });

  it('an unknown alias suggests the closest ref', () => {
    const error = errorOf(() =>
      selectConnection(
        config([
          ['mysql', 'movies'],
          ['mysql', 'analytics'],
        ]),
        '@mysql.movie',
      ),
    );
    expect(error.code).toBe('E_CONNECTION_NOT_FOUND');
    expect(error.message).toBe(`Connection @mysql.movie is not defined in ${FILE}`);
    expect(error.hint).toBe('did you mean @mysql.movies? (defined: @mysql.movies, @mysql.analytics)');
  });

  it('an unknown family suggests the closest family', () => {
    const error = errorOf(() => selectConnection(config([['postgres', 'main', true]]), '@postgre'));
    expect(error.code).toBe('E_CONNECTION_NOT_FOUND');
    expect(error.hint).toContain('did you mean @postgres?');
  });

  it('without a connections file, says so and points at osiris init', () => {
    const error = errorOf(() =>
      selectConnection({ projectDir: '/nowhere', connections: [], env: {} }, '@mysql.movies'),
    );
    expect(error.code).toBe('E_CONNECTIONS_FILE_NOT_FOUND');
    expect(error.hint).toContain('osiris init');
  });
});
