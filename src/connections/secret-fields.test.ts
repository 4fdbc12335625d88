import { describe, expect, it } from 'vitest';
import type { ComponentSpec } from '../spec/component.js';
import { connectionMetadata, summarizeConnection } from './connection-metadata.js';
import { isSecretField, secretNamesFromSpecs } from './secret-fields.js';
import type { RawConnection } from './types.js';

describe('isSecretField', () => {
  it('recognises common secret names and suffixes, in any case or style', () => {
    for (const name of [
      'password',
      'key',
      'token',
      'secret',
      'dsn',
      'service_role_key',
      'api_key',
      'apiKey',
      'API-KEY',
      'db_password',
      'access_token',
      'client_secret',
      'private_key',
      'pg_dsn',
    ]) {
      expect(isSecretField(name), name).toBe(true);
    }
  });

  it('never masks primary_key or ordinary fields', () => {
    for (const name of [
      'primary_key',
      'primaryKey',
      'host',
      'port',
      'user',
      'database',
      'url',
      'schema',
      'keyspace',
    ]) {
      expect(isSecretField(name), name).toBe(false);
    }
  });

  it('adds names given by component specs', () => {
    expect(isSecretField('pin')).toBe(false);
    expect(isSecretField('pin', ['pin'])).toBe(true);
  });

  it('derives names from spec secret pointers and redaction extras', () => {
    const spec = {
      secrets: ['/password', '/auth/bearer', '/a~1b'],
      redaction: { extras: ['pin'] },
    } as unknown as ComponentSpec;
    expect(secretNamesFromSpecs([spec])).toEqual(['a/b', 'bearer', 'password', 'pin']);
  });
});

const connection: RawConnection = {
  family: 'postgres',
  alias: 'warehouse',
  isDefault: true,
  file: '/p/osiris_connections.yaml',
  fields: {
    user: '${PGUSER}',
    password: '${PGPASSWORD}',
    primary_key: 'id',
    host: 'db',
    dsn: 'postgres://u:p@db/x',
    url: 'postgres://etl:literal-pw@db:5432/x',
    options: { token: 'abc-token', z: 1, a: 2 },
  },
};

describe('connectionMetadata', () => {
  it('masks secrets, keeps templates unresolved and sorts keys at every level', () => {
    const metadata = connectionMetadata(connection);
    expect(metadata).toEqual({
      alias: 'warehouse',
      family: 'postgres',
      fields: {
        dsn: '***',
        host: 'db',
        options: { a: 2, token: '***', z: 1 },
        password: '***',
        primary_key: 'id',
        url: 'postgres://etl:***@db:5432/x',
        user: '${PGUSER}',
      },
    });
    expect(JSON.stringify(metadata)).toBe(
      JSON.stringify(connectionMetadata({ ...connection, fields: { ...connection.fields } })),
    );
    expect(Object.keys(metadata.fields as object)).toEqual([
      'dsn',
      'host',
      'options',
      'password',
      'primary_key',
      'url',
      'user',
    ]);
  });
});

describe('summarizeConnection', () => {
  it('shows fields as written by default, resolved with env, and secrets as *** either way', () => {
    expect(summarizeConnection(connection).fields).toMatchObject({
      user: '${PGUSER}',
      password: '***',
      primary_key: 'id',
    });
    const summary = summarizeConnection(connection, { PGUSER: 'etl', PGPASSWORD: 'pw-value' });
    expect(summary).toMatchObject({ ref: '@postgres.warehouse', isDefault: true });
    expect(summary.fields).toMatchObject({ user: 'etl', password: '***' });
    expect(JSON.stringify(summary)).not.toContain('pw-value');
    expect(JSON.stringify(summary)).not.toContain('literal-pw');
  });
});
