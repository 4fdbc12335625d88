import { connect as connectTcp, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { ErrorCodes, isOsirisError, type OsirisError } from '../../spec/errors.js';
import { openPostgresSession } from './client.js';
import { postgresConnection } from './testing/postgres-test-kit.js';

const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20 };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Everything a user could see of an error, to scan for secrets. */
function visible(error: unknown): string {
  const osiris = error as OsirisError;
  return JSON.stringify({ ...osiris.toJSON(), stack: osiris.stack });
}

describe('openPostgresSession without a server', () => {
  it('retries a refused connection with backoff, then fails as retryable E_CONNECTION_FAILED', async () => {
    const port = await freePort();
    const attempts: number[] = [];
    const failure = await openPostgresSession(
      postgresConnection(
        { host: '127.0.0.1', port, user: 'u', password: 'p4ssw0rd-x', database: 'd' },
        { connect_retries: 3 },
      ),
      { retry: FAST_RETRY, onRetry: ({ attempt }) => attempts.push(attempt) },
    ).catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe(ErrorCodes.CONNECTION_FAILED);
    expect(isOsirisError(failure) && failure.retryable).toBe(true);
    expect(attempts).toEqual([1, 2, 3]);
    expect(visible(failure)).not.toContain('p4ssw0rd-x');
  });

  it('stops retrying when aborted', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const failure = await openPostgresSession(
      postgresConnection({ host: '127.0.0.1', port, user: 'u', password: 'x', database: 'd' }),
      {
        signal: controller.signal,
        retry: { retries: 50, initialDelayMs: 1000, maxDelayMs: 1000 },
        onRetry: () => controller.abort(),
      },
    ).catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe(ErrorCodes.CANCELLED);
  });

  it('rejects a malformed DSN without quoting it', async () => {
    const dsn = 'postgres//user:Sup3rS3cret@host/db';
    const failure = await openPostgresSession({
      family: 'postgres',
      alias: 'bad',
      ref: '@postgres.bad',
      fields: { dsn },
      secretFields: ['dsn'],
    }).catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe(ErrorCodes.CONNECTIONS_INVALID);
    expect(visible(failure)).not.toContain('Sup3rS3cret');
  });
});

describeIfServers('postgres', 'openPostgresSession on a real PostgreSQL', () => {
  let proxy: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    proxy = undefined;
  });

  it('fails a wrong password at once with E_AUTH_FAILED and an actionable hint, never the password', async () => {
    const facts = requireTestServer('postgres');
    const wrong = 'Wr0ng-Passw0rd-123';
    const attempts: number[] = [];
    const failure = await openPostgresSession(postgresConnection({ ...facts, password: wrong }), {
      retry: FAST_RETRY,
      onRetry: ({ attempt }) => attempts.push(attempt),
    }).catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe(ErrorCodes.AUTH_FAILED);
    expect(isOsirisError(failure) && failure.hint).toMatch(
      /password of @postgres\.test.*osiris connections doctor/s,
    );
    expect(attempts).toEqual([]);
    expect(visible(failure)).not.toContain(wrong);
    expect(visible(failure)).not.toContain(facts.password);
  });

  it('fails a wrong password given in a DSN without leaking the DSN', async () => {
    const facts = requireTestServer('postgres');
    const dsn = `postgresql://${facts.user}:${encodeURIComponent('Dsn-S3cret!')}@${facts.host}:${facts.port}/${facts.database}`;
    const failure = await openPostgresSession({
      family: 'postgres',
      alias: 'dsn',
      ref: '@postgres.dsn',
      fields: { dsn },
      secretFields: ['dsn'],
    }).catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe(ErrorCodes.AUTH_FAILED);
    expect(visible(failure)).not.toContain('Dsn-S3cret');
    expect(visible(failure)).not.toContain(dsn);
  });

  it('connects with a DSN, explicit fields and step overrides taking precedence', async () => {
    const facts = requireTestServer('postgres');
    const dsn = `postgres://${facts.user}:${encodeURIComponent(facts.password)}@${facts.host}:${facts.port}/no_such_database`;
    const session = await openPostgresSession(
      {
        family: 'postgres',
        alias: 'dsn',
        ref: '@postgres.dsn',
        fields: { dsn, database: 'postgres' },
        secretFields: ['dsn'],
      },
      { overrides: { database: facts.database } },
    );
    try {
      const result = await session.client.query('SELECT current_database() AS name');
      expect(result.rows[0].name).toBe(facts.database);
    } finally {
      await session.close();
    }
  });

  it('reconnects when the server comes up while it is retrying', async () => {
    const facts = requireTestServer('postgres');
    const port = await freePort();
    let proxyStarted: Promise<void> | undefined;
    const session = await openPostgresSession(postgresConnection({ ...facts, host: '127.0.0.1', port }), {
      retry: FAST_RETRY,
      // The "server" (a TCP proxy to the real one) starts only after the first refusal.
      onRetry: () => {
        proxyStarted ??= new Promise((resolve) => {
          proxy = createServer((socket) => {
            const upstream = connectTcp(facts.port, facts.host);
            socket.pipe(upstream).pipe(socket);
            socket.on('error', () => upstream.destroy());
            upstream.on('error', () => socket.destroy());
          });
          proxy.listen(port, '127.0.0.1', resolve);
        });
      },
    });
    try {
      expect(proxyStarted).toBeDefined();
      expect((await session.client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await session.close();
    }
  });
});
