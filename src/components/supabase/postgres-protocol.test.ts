import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { quoteIdentifier } from '../postgres/identifiers.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
} from '../postgres/testing/postgres-test-kit.js';
import { driver as extractor } from './extractor.driver.js';
import { driver as writer } from './writer.driver.js';

describeIfServers('postgres', 'supabase drivers over the Postgres protocol', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_supabase');
    harness = await createDriverHarness();
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  /** A dsn plus REST settings that lead nowhere: the drivers must prefer the Postgres protocol. */
  const connection = (): ResolvedConnection => {
    const facts = requireTestServer('postgres');
    const dsn = `postgresql://${facts.user}:${encodeURIComponent(facts.password)}@${facts.host}:${facts.port}/${facts.database}`;
    return {
      family: 'supabase',
      alias: 'main',
      ref: '@supabase.main',
      fields: { dsn, url: 'http://127.0.0.1:1', key: 'unused-key-0123456789' },
      secretFields: ['dsn', 'key'],
    };
  };

  it('extracts with a query and upserts twice into a table it creates', async () => {
    const extracted = await extractor.run({
      stepId: 'reviews',
      config: {
        connection: '@supabase.main',
        query: 'SELECT id, movie_id, rating, review_date FROM reviews',
      },
      inputs: [],
      ctx: harness.context('reviews', { connection: connection() }),
    });
    const expected = await admin.query('SELECT count(*)::int AS n FROM reviews');
    expect(extracted.rows).toBe(expected.rows[0].n);

    const config = {
      connection: '@supabase.main',
      schema,
      table: 'reviews',
      write_mode: 'upsert',
      primary_key: 'id',
    };
    const inputs = [{ stepId: 'reviews', table: extracted.table! }];
    for (const stepId of ['upsert-1', 'upsert-2']) {
      expect(
        await writer.run({
          stepId,
          config,
          inputs,
          ctx: harness.context(stepId, { connection: connection() }),
        }),
      ).toEqual({
        rows: extracted.rows,
      });
    }
    const differences = await admin.query(
      `SELECT count(*)::int AS n FROM (
         (SELECT id, movie_id, rating, review_date FROM public.reviews EXCEPT SELECT * FROM ${quoteIdentifier(schema)}.reviews)
         UNION ALL
         (SELECT * FROM ${quoteIdentifier(schema)}.reviews EXCEPT SELECT id, movie_id, rating, review_date FROM public.reviews)) AS d`,
    );
    expect(differences.rows[0].n).toBe(0);
  });
});
