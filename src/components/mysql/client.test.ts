import { expect, it } from 'vitest';
import { findFreePort } from '../../../test/setup/free-port.js';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { createDriverHarness } from '../../runtime/testing/driver-harness.js';
import { DEFAULT_RETRY_POLICY } from '../../spec/connection.js';
import { isOsirisError } from '../../spec/errors.js';
import { backoffDelay } from '../../util/retry-with-backoff.js';
import { connectMysql } from './client.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { driver } from './extractor.driver.js';
import { mysqlConnection } from './mysql-test-support.js';

it('backs off exponentially, with jitter, up to the cap', () => {
  const policy = { retries: 9, initialDelayMs: 100, maxDelayMs: 1000 };
  expect(backoffDelay(1, policy, () => 0)).toBe(50);
  expect(backoffDelay(1, policy, () => 1)).toBe(100);
  expect(backoffDelay(3, policy, () => 1)).toBe(400);
  expect(backoffDelay(8, policy, () => 0.5)).toBe(750);
  expect(backoffDelay(30, policy, () => 1)).toBe(1000);
});

it('retries a refused connection a bounded number of times', async () => {
  const port = await findFreePort(); // nothing listens there
  const settings = resolveMysqlSettings(
    mysqlConnection({ host: '127.0.0.1', port, user: 'nobody', password: 'Secret-Value-1', database: 'x' }),
    {},
  );
  const retries: number[] = [];
  const error = await connectMysql(settings, {
    retry: { retries: 2, initialDelayMs: 5, maxDelayMs: 20 },
    onRetry: ({ attempt }) => retries.push(attempt),
  }).catch((caught: unknown) => caught);
  expect(retries).toEqual([1, 2]);
  expect(isOsirisError(error) && error.code).toBe('E_CONNECTION_FAILED');
  expect(isOsirisError(error) && error.retryable).toBe(true);
  expect((error as Error).message).toContain('after 3 attempts');
  expect((error as Error).message).not.toContain('Secret-Value-1');
});

it("follows the connection's connect_retries and reports each retry as a connection_retry event", async () => {
  const port = await findFreePort(); // nothing listens there
  const run = await createDriverHarness();
  try {
    const connection = mysqlConnection(
      { host: '127.0.0.1', port, user: 'nobody', password: 'Secret-Value-2', database: 'x' },
      { connect_retries: 1 },
    );
    const ctx = run.context('extract', { connection });
    const error = await driver
      .run({ stepId: 'extract', config: { connection: '@mysql.test', table: 't' }, inputs: [], ctx })
      .catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_CONNECTION_FAILED');
    expect((error as Error).message).toContain('after 2 attempts');
    const retries = ctx.recorded.events.filter((event) => event.name === 'connection_retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]?.fields).toMatchObject({ attempt: 1, error_code: 'E_CONNECTION_FAILED' });
    expect(JSON.stringify(ctx.recorded)).not.toContain('Secret-Value-2');
  } finally {
    await run.close();
  }
});

it('stops retrying when aborted', async () => {
  const port = await findFreePort();
  const settings = resolveMysqlSettings(
    mysqlConnection({ host: '127.0.0.1', port, user: 'nobody', password: 'x', database: 'x' }),
    {},
  );
  const controller = new AbortController();
  const error = await connectMysql(settings, {
    signal: controller.signal,
    retry: { ...DEFAULT_RETRY_POLICY, retries: 99, initialDelayMs: 10_000 },
    onRetry: () => controller.abort(),
  }).catch((caught: unknown) => caught);
  expect(isOsirisError(error) && error.code).toBe('E_CANCELLED');
});

it('lets the step override database and user, never the password', () => {
  const connection = mysqlConnection({
    host: 'db',
    port: 3307,
    user: 'app',
    password: 'pw-from-connection',
    database: 'a',
  });
  const settings = resolveMysqlSettings(connection, { database: 'b', user: 'reader', password: 'ignored' });
  expect(settings).toMatchObject({
    host: 'db',
    port: 3307,
    user: 'reader',
    database: 'b',
    password: 'pw-from-connection',
  });
});

describeIfServers('mysql', 'connectMysql against MariaDB', () => {
  it('does not retry a refused login', async () => {
    const facts = requireTestServer('mysql');
    const settings = resolveMysqlSettings(mysqlConnection({ ...facts, password: 'not-the-password' }), {});
    const retries: number[] = [];
    const error = await connectMysql(settings, { onRetry: ({ attempt }) => retries.push(attempt) }).catch(
      (caught: unknown) => caught,
    );
    expect(retries).toEqual([]);
    expect(isOsirisError(error) && error.code).toBe('E_AUTH_FAILED');
    expect(isOsirisError(error) && error.retryable).toBe(false);
  });
});
