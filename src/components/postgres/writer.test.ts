import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { isOsirisError } from '../../spec/errors.js';
import { driver as extractor } from './extractor.driver.js';
import { quoteIdentifier } from './identifiers.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  postgresConnection,
} from './testing/postgres-test-kit.js';
import { driver as writer } from './writer.driver.js';

describeIfServers('postgres', 'postgres.writer on a real PostgreSQL', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_write');
    harness = await createDriverHarness();
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  const connection = () => postgresConnection(requireTestServer('postgres'));
  const qualified = (table: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  const count = async (table: string) =>
    (await admin.query(`SELECT count(*)::int AS n FROM ${qualified(table)}`)).rows[0].n;

  /** A data-plane table built with DuckDB SQL, as an upstream step would leave it. */
  const input = async (stepId: string, select: string) => {
    const table = harness.dataPlane.tableFor(stepId);
    await harness.dataPlane.run(`CREATE OR REPLACE TABLE ${harness.dataPlane.quote(table)} AS ${select}`);
    return [{ stepId, table }];
  };

  const write = (
    stepId: string,
    config: Record<string, unknown>,
    inputs: { stepId: string; table: string }[],
    signal?: AbortSignal,
    onProgress?: () => void,
  ) => {
    const ctx = harness.context(stepId, { connection: connection(), signal: signal, onProgress: onProgress });
    return {
      ctx,
      result: writer.run({
        stepId,
        config: { connection: '@postgres.test', schema, ...config },
        inputs,
        ctx,
      }),
    };
  };

  it('appends into a table it creates, then appends again', async () => {
    const rows = await input(
      'numbers',
      'SELECT range AS id, range * 1.5 AS half, NULL::VARCHAR AS note FROM range(1000)',
    );
    expect(await write('append-1', { table: 'numbers' }, rows).result).toEqual({ rows: 1000 });
    const second = write('append-2', { table: 'numbers', write_mode: 'append' }, rows);
    expect(await second.result).toEqual({ rows: 1000 });
    expect(await count('numbers')).toBe(2000);
    expect(
      second.ctx.recorded.metrics.find((metric) => metric.name === 'bytes_written')?.value,
    ).toBeGreaterThan(0);
  });

  it('upserts the movies twice: idempotent, equal row counts, changed rows restored', async () => {
    const extract = harness.context('movies', { connection: connection() });
    const extracted = await extractor.run({
      stepId: 'movies',
      config: { connection: '@postgres.test', table: 'movies' },
      inputs: [],
      ctx: extract,
    });
    const rows = [{ stepId: 'movies', table: extracted.table! }];
    const config = { table: 'movies', write_mode: 'upsert', primary_key: 'id' };

    const first = write('upsert-1', config, rows);
    expect(await first.result).toEqual({ rows: extracted.rows });
    expect(first.ctx.recorded.events.map((event) => event.name)).toContain('table_created');
    await admin.query(`UPDATE ${qualified('movies')} SET title = 'changed' WHERE id = 1`);

    const second = write('upsert-2', config, rows);
    expect(await second.result).toEqual({ rows: extracted.rows });
    expect(second.ctx.recorded.metrics.find((metric) => metric.name === 'rows_inserted')?.value).toBe(0);
    expect(second.ctx.recorded.metrics.find((metric) => metric.name === 'rows_updated')?.value).toBe(
      extracted.rows,
    );
    expect(await count('movies')).toBe(extracted.rows);

    const differences = await admin.query(
      `SELECT count(*)::int AS n FROM (
         (SELECT * FROM public.movies EXCEPT SELECT * FROM ${qualified('movies')})
         UNION ALL
         (SELECT * FROM ${qualified('movies')} EXCEPT SELECT * FROM public.movies)) AS differences`,
    );
    expect(differences.rows[0].n).toBe(0);
  });

  it('upserts new keys next to existing ones and reports both counts', async () => {
    await admin.query(
      `CREATE TABLE ${qualified('keyed')} (tenant int, id int, name text NOT NULL, PRIMARY KEY (tenant, id))`,
    );
    await admin.query(`INSERT INTO ${qualified('keyed')} VALUES (1, 1, 'old'), (1, 2, 'kept')`);
    const rows = await input(
      'keyed',
      "SELECT * FROM (VALUES (1, 1, 'new'), (2, 1, 'other tenant')) AS t(tenant, id, name)",
    );
    const run = write('keyed', { table: 'keyed', write_mode: 'upsert', primary_key: ['tenant', 'id'] }, rows);
    expect(await run.result).toEqual({ rows: 2 });
    expect(run.ctx.recorded.metrics.find((metric) => metric.name === 'rows_inserted')?.value).toBe(1);
    const stored = await admin.query(
      `SELECT tenant, id, name FROM ${qualified('keyed')} ORDER BY tenant, id`,
    );
    expect(stored.rows).toEqual([
      { tenant: 1, id: 1, name: 'new' },
      { tenant: 1, id: 2, name: 'kept' },
      { tenant: 2, id: 1, name: 'other tenant' },
    ]);
  });

  it('replaces the rows of an existing table and keeps the table itself', async () => {
    await admin.query(
      `CREATE TABLE ${qualified('replaced')} (id int PRIMARY KEY, name text NOT NULL DEFAULT 'x', extra int DEFAULT 7)`,
    );
    await admin.query(
      `INSERT INTO ${qualified('replaced')} SELECT g, 'before ' || g FROM generate_series(1, 100) g`,
    );
    await admin.query(`CREATE VIEW ${qualified('replaced_view')} AS SELECT id FROM ${qualified('replaced')}`);
    const rows = await input(
      'replacement',
      "SELECT range AS ID, 'after ' || range AS name FROM range(10, 20)",
    );
    expect(
      await write('replace', { table: 'replaced', write_mode: 'replace', primary_key: 'id' }, rows).result,
    ).toEqual({ rows: 10 });
    const stored = await admin.query(
      `SELECT min(id) AS low, max(id) AS high, count(*)::int AS n, min(extra) AS extra FROM ${qualified('replaced_view')} JOIN ${qualified('replaced')} USING (id)`,
    );
    expect(stored.rows[0]).toEqual({ low: 10, high: 19, n: 10, extra: 7 });
  });

  it('leaves the target exactly as it was when replace fails part-way (NOT NULL violation)', async () => {
    await admin.query(`CREATE TABLE ${qualified('guarded')} (id int PRIMARY KEY, title text NOT NULL)`);
    await admin.query(
      `INSERT INTO ${qualified('guarded')} SELECT g, 'original ' || g FROM generate_series(1, 500) g`,
    );
    const rows = await input(
      'broken',
      "SELECT range AS id, CASE WHEN range = 150000 THEN NULL ELSE 'new ' || range END AS title FROM range(1, 200000)",
    );
    const failure = await write(
      'replace-broken',
      { table: 'guarded', write_mode: 'replace', primary_key: 'id' },
      rows,
    ).result.catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(isOsirisError(failure) && failure.hint).toMatch(/NOT NULL/);
    const stored = await admin.query(
      `SELECT count(*)::int AS n, min(title) AS first FROM ${qualified('guarded')}`,
    );
    expect(stored.rows[0]).toEqual({ n: 500, first: 'original 1' });
  });

  it('fails append of a NULL into a NOT NULL column without writing any row', async () => {
    await admin.query(`CREATE TABLE ${qualified('strict')} (id int, title text NOT NULL)`);
    const rows = await input(
      'strict',
      "SELECT range AS id, CASE WHEN range = 5000 THEN NULL ELSE 't' END AS title FROM range(10000)",
    );
    const failure = await write('strict', { table: 'strict' }, rows).result.catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(await count('strict')).toBe(0);
  });

  it('reports the PostgreSQL error when a large COPY fails early, not the stopped export', async () => {
    await admin.query(`CREATE TABLE ${qualified('early')} (id int, title text NOT NULL)`);
    const rows = await input(
      'early',
      "SELECT range AS id, CASE WHEN range = 1000 THEN NULL ELSE repeat('t', 30) END AS title FROM range(400000)",
    );
    const failure = await write('early', { table: 'early' }, rows).result.catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(isOsirisError(failure) && failure.message).toMatch(/null value in column "title"/);
    expect(await count('early')).toBe(0);
  });

  it('stops on abort, rolls back, and reports the cancellation', async () => {
    await admin.query(`CREATE TABLE ${qualified('aborted')} (id bigint PRIMARY KEY, payload text)`);
    await admin.query(`INSERT INTO ${qualified('aborted')} VALUES (-1, 'kept')`);
    const rows = await input('large', "SELECT range AS id, repeat('x', 40) AS payload FROM range(500000)");
    const controller = new AbortController();
    const run = write(
      'aborted',
      { table: 'aborted', write_mode: 'upsert', primary_key: 'id' },
      rows,
      controller.signal,
      () => controller.abort(),
    );
    const failure = await run.result.catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_CANCELLED');
    expect(await count('aborted')).toBe(1);
  });

  it('gives up with E_TARGET_LOCKED when another session keeps the table past lock_timeout', async () => {
    await admin.query(`CREATE TABLE ${qualified('busy')} (id int PRIMARY KEY, name text)`);
    await admin.query(`INSERT INTO ${qualified('busy')} VALUES (1, 'kept')`);
    const rows = await input('busy', "SELECT 2 AS id, 'new' AS name");
    const holder = await adminClient(requireTestServer('postgres'));
    try {
      await holder.query(`BEGIN; LOCK TABLE ${qualified('busy')} IN ACCESS EXCLUSIVE MODE`);
      const failure = await write(
        'busy',
        { table: 'busy', write_mode: 'replace', primary_key: 'id', lock_timeout: 1 },
        rows,
      ).result.catch((error: unknown) => error);
      expect(isOsirisError(failure) && failure.code).toBe('E_TARGET_LOCKED');
      expect(isOsirisError(failure) && failure.message).toMatch(/another session holds a lock on/);
      expect(isOsirisError(failure) && failure.hint).toMatch(/lock_timeout/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect((await admin.query(`SELECT name FROM ${qualified('busy')}`)).rows).toEqual([{ name: 'kept' }]);
  });

  it('ends a wait on another session with E_TARGET_LOCKED before the read watchdog would call the server frozen', async () => {
    await admin.query(`CREATE TABLE ${qualified('watched')} (id int PRIMARY KEY)`);
    const rows = await input('watched', 'SELECT 1 AS id');
    const holder = await adminClient(requireTestServer('postgres'));
    try {
      await holder.query(`BEGIN; LOCK TABLE ${qualified('watched')} IN ACCESS EXCLUSIVE MODE`);
      const ctx = harness.context('watched', {
        connection: postgresConnection(requireTestServer('postgres'), { read_timeout: 4 }),
      });
      const failure = await writer
        .run({
          stepId: 'watched',
          config: {
            connection: '@postgres.test',
            schema,
            table: 'watched',
            write_mode: 'replace',
            primary_key: 'id',
          },
          inputs: rows,
          ctx,
        })
        .catch((error: unknown) => error);
      expect(isOsirisError(failure) && failure.code).toBe('E_TARGET_LOCKED');
      expect(isOsirisError(failure) && failure.message).toMatch(/another session holds a lock/);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('refuses a missing table when create_if_missing is false', async () => {
    const rows = await input('nowhere', 'SELECT 1 AS id');
    const failure = await write('nowhere', { table: 'nowhere', create_if_missing: false }, rows).result.catch(
      (error: unknown) => error,
    );
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(isOsirisError(failure) && failure.hint).toMatch(/create_if_missing/);
  });

  it('names input columns the target lacks', async () => {
    await admin.query(`CREATE TABLE ${qualified('narrow')} (id int)`);
    const rows = await input('wide', 'SELECT 1 AS id, 2 AS surprise');
    const failure = await write('wide', { table: 'narrow', schema_change: 'freeze' }, rows).result.catch(
      (error: unknown) => error,
    );
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(isOsirisError(failure) && failure.message).toMatch(/surprise/);
  });

  it('explains an upsert into a table without a matching unique key', async () => {
    await admin.query(`CREATE TABLE ${qualified('unkeyed')} (id int, name text)`);
    await admin.query(`INSERT INTO ${qualified('unkeyed')} VALUES (1, 'a')`);
    const rows = await input('unkeyed', "SELECT 1 AS id, 'b' AS name");
    const failure = await write(
      'unkeyed',
      { table: 'unkeyed', write_mode: 'upsert', primary_key: 'id' },
      rows,
    ).result.catch((error: unknown) => error);
    expect(isOsirisError(failure) && failure.code).toBe('E_WRITE_FAILED');
    expect(isOsirisError(failure) && failure.hint).toMatch(/unique index or primary key/);
    expect(await count('unkeyed')).toBe(1);
  });
});
