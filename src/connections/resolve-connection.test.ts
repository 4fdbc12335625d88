import { describe, expect, it } from 'vitest';
import { isOsirisError } from '../spec/errors.js';
import { connectionVariables } from './connection-variables.js';
import { collectSecretValues, findMissingVariables, resolveConnection } from './resolve-connection.js';
import type { RawConnection } from './types.js';

function raw(fields: Record<string, unknown>): RawConnection {
  return {
    family: 'mysql',
    alias: 'movies',
    isDefault: true,
    fields,
    file: '/project/osiris_connections.yaml',
    line: 4,
  };
}

describe('resolveConnection', () => {
  it('substitutes ${VAR} and ${VAR:-default}, inside longer strings and nested values', () => {
    const resolved = resolveConnection(
      raw({
        host: '${DB_HOST:-localhost}',
        port: '${DB_PORT:-3306}',
        user: '${DB_USER}',
        password: '${DB_PASSWORD}',
        url: 'mysql://${DB_USER}@${DB_HOST:-localhost}/movies',
        options: { ssl: { key: '${SSL_KEY}' }, hosts: ['${DB_HOST:-a}', 'b'] },
        timeout: 30,
      }),
      { DB_HOST: 'db.internal', DB_USER: 'etl', DB_PASSWORD: 'hunter2-pw', SSL_KEY: 'ssl-key-value' },
    );
    expect(resolved).toEqual({
      family: 'mysql',
      alias: 'movies',
      ref: '@mysql.movies',
      fields: {
        host: 'db.internal',
        port: '3306',
        user: 'etl',
        password: 'hunter2-pw',
        url: 'mysql://etl@db.internal/movies',
        options: { ssl: { key: 'ssl-key-value' }, hosts: ['db.internal', 'b'] },
        timeout: 30,
      },
      secretFields: ['key', 'password'],
    });
  });

  it('uses the default when the variable is set but empty, as the shell does; ${VAR} keeps an empty value', () => {
    const resolved = resolveConnection(raw({ host: '${DB_HOST:-localhost}', user: '${DB_USER}' }), {
      DB_HOST: '',
      DB_USER: '',
    });
    expect(resolved.fields).toEqual({ host: 'localhost', user: '' });
  });

  it('names the variable, the field, the alias and the file when a variable is missing', () => {
    let caught: unknown;
    try {
      resolveConnection(
        raw({ host: 'h', password: '${MYSQL_PASSWORD}', options: { token: '${API_TOKEN}' } }),
        {},
      );
    } catch (error) {
      caught = error;
    }
    expect(isOsirisError(caught)).toBe(true);
    if (!isOsirisError(caught)) return;
    expect(caught.code).toBe('E_ENV_VAR_MISSING');
    expect(caught.message).toBe(
      'Environment variable MYSQL_PASSWORD is not set: field "password" of connection @mysql.movies ' +
        '(/project/osiris_connections.yaml:4) needs it (also unset: API_TOKEN)',
    );
    expect(caught.hint).toBe(
      'export MYSQL_PASSWORD=… in your shell or add a line MYSQL_PASSWORD=… to /project/.env',
    );
    expect(caught.details).toMatchObject({
      variable: 'MYSQL_PASSWORD',
      field: 'password',
      alias: 'movies',
      file: '/project/osiris_connections.yaml',
      missing: [
        { variable: 'MYSQL_PASSWORD', field: 'password' },
        { variable: 'API_TOKEN', field: 'options.token' },
      ],
    });
  });

  it('suggests a default only for fields that are not secret', () => {
    const hintFor = (fields: Record<string, unknown>): string | undefined => {
      try {
        resolveConnection(raw(fields), {});
      } catch (error) {
        if (isOsirisError(error)) return error.hint;
        throw error;
      }
      throw new Error('expected E_ENV_VAR_MISSING');
    };
    expect(hintFor({ database: '${MYSQL_DATABASE}' })).toContain('${MYSQL_DATABASE:-value}');
    expect(hintFor({ password: '${MYSQL_PASSWORD}' })).not.toContain(':-');
  });

  it('treats a field reading a secret-looking variable as secret, and honours extra secret names from specs', () => {
    const resolved = resolveConnection(
      raw({ auth: '${SERVICE_TOKEN}', pin: '1234', host: 'h' }),
      { SERVICE_TOKEN: 'tok-value' },
      {
        secretNames: ['pin'],
      },
    );
    expect(resolved.secretFields).toEqual(['auth', 'pin']);
  });
});

describe('findMissingVariables and connectionVariables', () => {
  it('lists every missing variable with its field, and reports each variable as set, default or missing', () => {
    const connection = raw({ host: '${H:-localhost}', user: '${U}', password: '${P}' });
    expect(findMissingVariables(connection, { U: 'me' })).toEqual([{ variable: 'P', field: 'password' }]);
    expect(connectionVariables(connection, { U: 'me' })).toEqual([
      { variable: 'H', status: 'default' },
      { variable: 'U', status: 'set' },
      { variable: 'P', status: 'missing' },
    ]);
  });
});

describe('collectSecretValues', () => {
  it('collects values of secret fields at any depth and passwords inside URLs', () => {
    const resolved = resolveConnection(
      raw({
        password: 'pw-1',
        nested: { api_key: 'key-2', port: 1 },
        url: 'postgres://u:url-pass@h/db',
        host: 'h',
      }),
      {},
    );
    expect(collectSecretValues(resolved).sort()).toEqual(['key-2', 'pw-1', 'url-pass']);
  });
});
