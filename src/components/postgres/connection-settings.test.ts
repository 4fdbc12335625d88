import { describe, expect, it } from 'vitest';
import { resolveRetryPolicy } from '../../connections/connect-retry-policy.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes } from '../../spec/errors.js';
import { resolveEndpoint } from './connection-settings.js';
import { toPostgresError } from './postgres-error.js';

function connection(fields: Record<string, unknown>): ResolvedConnection {
  return { family: 'postgres', alias: 'x', ref: '@postgres.x', fields, secretFields: ['password', 'dsn'] };
}

describe('resolveEndpoint', () => {
  it('reads a DSN, with percent-decoding and sslmode', () => {
    expect(
      resolveEndpoint(
        connection({ dsn: 'postgresql://ann:p%40ss%3Aword@db.example.com:6543/shop?sslmode=require' }),
      ),
    ).toEqual({
      host: 'db.example.com',
      port: 6543,
      user: 'ann',
      password: 'p@ss:word',
      database: 'shop',
      sslMode: 'require',
    });
  });

  it('lets explicit fields win over the DSN, and step overrides over both', () => {
    const endpoint = resolveEndpoint(
      connection({ dsn: 'postgres://ann:pw@h1/db1', database: 'db2', port: '5433' }),
      {
        database: 'db3',
        user: 'bob',
      },
    );
    expect(endpoint).toMatchObject({
      host: 'h1',
      port: 5433,
      user: 'bob',
      password: 'pw',
      database: 'db3',
      sslMode: 'prefer',
    });
  });

  it('defaults to localhost:5432 as postgres', () => {
    expect(resolveEndpoint(connection({}))).toEqual({
      host: 'localhost',
      port: 5432,
      user: 'postgres',
      database: 'postgres',
      sslMode: 'prefer',
    });
  });

  it('rejects an unknown sslmode and a non-numeric port', () => {
    expect(() => resolveEndpoint(connection({ sslmode: 'sometimes' }))).toThrow(/sslmode/);
    expect(() => resolveEndpoint(connection({ port: 'five' }))).toThrow(/port/);
  });

  it('tunes retries from connect_retries and connect_timeout', () => {
    expect(resolveRetryPolicy(connection({ connect_retries: 1, connect_timeout: '3' }))).toMatchObject({
      retries: 1,
      connectTimeoutMs: 3000,
    });
  });
});

describe('toPostgresError', () => {
  it('removes URL passwords and known secret values from what the driver said', () => {
    const error = toPostgresError(new Error('bad postgres://ann:hunter22@db/x and hunter22 again'), {
      ref: '@postgres.x',
      action: 'reading from x',
      secrets: ['hunter22'],
      fallbackCode: ErrorCodes.STEP_FAILED,
    });
    expect(error.message).toBe(
      '@postgres.x: reading from x failed: bad postgres://ann:***@db/x and *** again',
    );
    const unknown = toPostgresError(new Error('bad postgres://ann:not-told@db/x'), {
      ref: '@postgres.x',
      action: 'reading from x',
      secrets: [],
      fallbackCode: ErrorCodes.STEP_FAILED,
    });
    expect(unknown.message).not.toContain('not-told');
  });
});
