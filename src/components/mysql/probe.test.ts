import { expect, it } from 'vitest';
import {
  describeIfServers,
  requireTestServer,
  TEST_SERVER_PASSWORD,
} from '../../../test/setup/test-servers.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { isOsirisError } from '../../spec/errors.js';
import { mysqlProbe } from './probe.js';

function connection(fields: Record<string, unknown>): ResolvedConnection {
  return { family: 'mysql', alias: 'main', ref: '@mysql.main', fields, secretFields: ['password'] };
}

describeIfServers('mysql', 'mysql doctor probe', () => {
  it('reports the server version and latency', async () => {
    const result = await mysqlProbe(
      connection({ ...requireTestServer('mysql') }),
      new AbortController().signal,
      {
        projectDir: '.',
      },
    );
    expect(result.serverVersion).toMatch(/^MariaDB \d+\.\d+/);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with E_AUTH_FAILED and no password on a wrong password', async () => {
    const error = await mysqlProbe(
      connection({ ...requireTestServer('mysql'), password: 'Wr0ng-probe-password' }),
      new AbortController().signal,
      { projectDir: '.' },
    ).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_AUTH_FAILED');
    const text = JSON.stringify((error as { toJSON(): object }).toJSON());
    expect(text).not.toContain('Wr0ng-probe-password');
    expect(text).not.toContain(TEST_SERVER_PASSWORD);
  });
});
