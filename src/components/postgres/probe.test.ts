import { expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { isOsirisError } from '../../spec/errors.js';
import { postgresProbe } from './probe.js';

function connection(fields: Record<string, unknown>): ResolvedConnection {
  return { family: 'postgres', alias: 'main', ref: '@postgres.main', fields, secretFields: ['password'] };
}

describeIfServers('postgres', 'postgres doctor probe', () => {
  it('reports the server version and latency', async () => {
    const result = await postgresProbe(
      connection({ ...requireTestServer('postgres') }),
      new AbortController().signal,
      {
        projectDir: '.',
      },
    );
    expect(result.serverVersion).toMatch(/^PostgreSQL \d+\.\d+/);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with E_AUTH_FAILED, a hint and no password on a wrong password', async () => {
    const facts = requireTestServer('postgres');
    const error = await postgresProbe(
      connection({ ...facts, password: 'Wr0ng-probe-password' }),
      new AbortController().signal,
      { projectDir: '.' },
    ).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_AUTH_FAILED');
    expect(isOsirisError(error) && error.hint).toMatch(/user and password of @postgres\.main/);
    const text = JSON.stringify((error as { toJSON(): object }).toJSON());
    expect(text).not.toContain('Wr0ng-probe-password');
    expect(text).not.toContain(facts.password);
  });

  it('fails fast with a retryable E_CONNECTION_FAILED when nothing listens', async () => {
    const error = await postgresProbe(
      connection({ host: '127.0.0.1', port: 1, user: 'nobody', password: 'irrelevant', database: 'x' }),
      new AbortController().signal,
      { projectDir: '.' },
    ).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_CONNECTION_FAILED');
    expect(isOsirisError(error) && error.retryable).toBe(true);
  });
});
