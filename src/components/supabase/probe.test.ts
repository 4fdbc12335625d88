import { afterEach, describe, expect, it } from 'vitest';
import { type FakePostgrest, startFakePostgrest } from '../../../test/fixtures/supabase/fake-postgrest.js';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { isOsirisError } from '../../spec/errors.js';
import { supabaseProbe } from './probe.js';

const KEY = 'anon-key-for-probe-tests-0123456789';

function connection(fields: Record<string, unknown>): ResolvedConnection {
  return {
    family: 'supabase',
    alias: 'main',
    ref: '@supabase.main',
    fields,
    secretFields: ['key', 'dsn', 'password'],
  };
}

const signal = () => new AbortController().signal;

describe('supabase doctor probe over REST', () => {
  let fake: FakePostgrest | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('reports the PostgREST version', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: {} });
    const result = await supabaseProbe(connection({ url: fake.url, key: KEY }), signal(), {
      projectDir: '.',
    });
    expect(result.serverVersion).toBe('PostgREST 12.2.3');
    expect(fake.requests.map((request) => [request.method, request.path])).toEqual([['GET', '/rest/v1/']]);
  });

  it('fails a wrong key with E_AUTH_FAILED, without the key, in one attempt', async () => {
    fake = await startFakePostgrest({ key: KEY, tables: {} });
    const wrong = 'not-the-key-0123456789';
    const error = await supabaseProbe(connection({ url: fake.url, key: wrong }), signal(), {
      projectDir: '.',
    }).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_AUTH_FAILED');
    expect(JSON.stringify((error as { toJSON(): object }).toJSON())).not.toContain(wrong);
    expect(fake.requests).toHaveLength(1);
  });

  it('says what is missing when the connection has neither REST nor Postgres settings', async () => {
    const error = await supabaseProbe(connection({ url: 'https://x.supabase.co' }), signal(), {
      projectDir: '.',
    }).catch((caught: unknown) => caught);
    expect(isOsirisError(error) && error.code).toBe('E_CONNECTIONS_INVALID');
  });
});

describeIfServers('postgres', 'supabase doctor probe over the Postgres protocol', () => {
  it('checks both the database and the REST API when both are configured', async () => {
    const fake = await startFakePostgrest({ key: KEY, tables: {} });
    try {
      const facts = requireTestServer('postgres');
      const dsn = `postgresql://${facts.user}:${encodeURIComponent(facts.password)}@${facts.host}:${facts.port}/${facts.database}`;
      const result = await supabaseProbe(connection({ dsn, url: fake.url, key: KEY }), signal(), {
        projectDir: '.',
      });
      expect(result.serverVersion).toMatch(/^PostgreSQL \d+\.\d+.*; PostgREST 12\.2\.3$/);
    } finally {
      await fake.close();
    }
  });
});
