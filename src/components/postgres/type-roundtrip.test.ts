import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfServers, requireTestServer } from '../../../test/setup/test-servers.js';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver as extractor } from './extractor.driver.js';
import { quoteIdentifier } from './identifiers.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  duckdbTextRows,
  postgresConnection,
} from './testing/postgres-test-kit.js';
import { driver as writer } from './writer.driver.js';

/** column → [PostgreSQL type, DuckDB type after extraction, PostgreSQL type the writer creates] */
const MATRIX: Record<string, [string, string, string]> = {
  small: ['smallint', 'SMALLINT', 'smallint'],
  regular: ['integer', 'INTEGER', 'integer'],
  big: ['bigint', 'BIGINT', 'bigint'],
  exact: ['numeric(30,10)', 'DECIMAL(30,10)', 'numeric(30,10)'],
  loose: ['numeric', 'DECIMAL(38,21)', 'numeric(38,21)'],
  single: ['real', 'FLOAT', 'real'],
  double: ['double precision', 'DOUBLE', 'double precision'],
  stamp: ['timestamp', 'TIMESTAMP', 'timestamp without time zone'],
  stamp_tz: ['timestamptz', 'TIMESTAMP WITH TIME ZONE', 'timestamp with time zone'],
  day: ['date', 'DATE', 'date'],
  clock: ['time', 'TIME', 'time without time zone'],
  clock_tz: ['timetz', 'TIME WITH TIME ZONE', 'time with time zone'],
  span: ['interval', 'INTERVAL', 'interval'],
  flag: ['boolean', 'BOOLEAN', 'boolean'],
  doc: ['json', 'JSON', 'jsonb'],
  docb: ['jsonb', 'JSON', 'jsonb'],
  ident: ['uuid', 'UUID', 'uuid'],
  bytes: ['bytea', 'BLOB', 'bytea'],
  label: ['text', 'VARCHAR', 'text'],
  fixed: ['varchar(20)', 'VARCHAR', 'text'],
  ints: ['int[]', 'INTEGER[]', 'integer[]'],
  texts: ['text[]', 'VARCHAR[]', 'text[]'],
  amounts: ['numeric(12,2)[]', 'DECIMAL(12,2)[]', 'numeric(12,2)[]'],
};

const ROWS = [
  `(1, -32768, 2147483647, 9007199254740993, 12345678901234567890.0123456789, 1.000000000000000000001,
    3.4028235e38, 0.1, '2024-02-29 23:59:59.999999', '2024-06-01 12:00:00.5-04', '2024-01-01', '23:59:59.999999',
    '12:00:00+05:45', '1 year 2 mons 3 days 04:05:06.7', true, '{"a": [1, "é"], "big": 12345678901234567890}',
    '{"b": 1, "a": "x"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\\x00ff2c220a5c', E'emoji 😀 "quote", comma\\nnewline \\\\ backslash',
    'ok', '{1,NULL,3}', '{"a b","c,d",NULL,"e\\"f","NULL","","{}"}', '{1.50,NULL,-99.99}')`,
  '(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
  `(3, 0, 0, -9223372036854775808, -0.0000000001, -0.5, -1.5e-45, 'Infinity', '1970-01-01 00:00:00', '1999-12-31 23:59:59+05:45',
    '0001-01-01', '00:00:00', '00:00:00-03:30', '-1 days -02:00:00', false, 'null', '[]', '00000000-0000-0000-0000-000000000000',
    '\\x', '', '', '{}', '{}', '{}')`,
  `(4, 1, 1, 9223372036854775807, 0, 0, 'NaN', 'NaN', 'infinity', '-infinity', '9999-12-31', '24:00:00', '24:00:00+00', '0 seconds',
    true, '"text"', '{"nested": {"k": [true, null]}}', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '\\xdeadbeef', ' ', '  ', '{-1}', '{" "}', '{0.01}')`,
];

describeIfServers('postgres', 'type matrix round trip PostgreSQL → DuckDB → PostgreSQL', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_types');
    harness = await createDriverHarness();
    const columns = Object.entries(MATRIX).map(([name, [type]]) => `${name} ${type}`);
    // Values are typed in a non-UTC zone: timestamptz must still keep its instant.
    await admin.query(`SET TimeZone = 'America/New_York'`);
    await admin.query(
      `CREATE TABLE ${quoteIdentifier(schema)}.source (id int PRIMARY KEY, ${columns.join(', ')})`,
    );
    await admin.query(`INSERT INTO ${quoteIdentifier(schema)}.source VALUES ${ROWS.join(', ')}`);
    await admin.query('RESET TimeZone');
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  // The server session's own zone is not UTC either: the drivers must not depend on it.
  const connection = () =>
    postgresConnection(requireTestServer('postgres'), { options: '-c TimeZone=Asia/Kathmandu' });

  it('extracts every type with the documented DuckDB type and exact values', async () => {
    const ctx = harness.context('extract', { connection: connection() });
    const result = await extractor.run({
      stepId: 'extract',
      config: { connection: '@postgres.test', schema, table: 'source' },
      inputs: [],
      ctx,
    });
    expect(result.rows).toBe(ROWS.length);
    const columns = await harness.dataPlane.columns(result.table!);
    expect(Object.fromEntries(columns.map((column) => [column.name, column.type]))).toEqual({
      id: 'INTEGER',
      ...Object.fromEntries(Object.entries(MATRIX).map(([name, [, duckdbType]]) => [name, duckdbType])),
    });

    const [first, nulls, third, fourth] = await duckdbTextRows(
      harness.dataPlane,
      `SELECT big, exact, loose, CAST(stamp_tz AS VARCHAR), hex(bytes), label, fixed, ints, texts, doc, CAST(double AS VARCHAR), CAST(single AS VARCHAR)
       FROM ${result.table} ORDER BY id`,
    );
    expect(first).toEqual([
      '9007199254740993',
      '12345678901234567890.0123456789',
      '1.000000000000000000001',
      '2024-06-01 16:00:00.5+00',
      '00FF2C220A5C',
      'emoji 😀 "quote", comma\nnewline \\ backslash',
      'ok',
      '[1, NULL, 3]',
      "['a b', 'c,d', NULL, 'e\"f', 'NULL', '', '{}']",
      '{"a": [1, "é"], "big": 12345678901234567890}',
      '0.1',
      '3.4028235e+38',
    ]);
    expect(nulls).toEqual(Array(12).fill(null));
    expect(third?.slice(0, 7)).toEqual([
      '-9223372036854775808',
      '-0.0000000001',
      '-0.500000000000000000000',
      '1999-12-31 18:14:59+00',
      '',
      '',
      '',
    ]);
    expect(fourth?.[0]).toBe('9223372036854775807');
    expect(fourth?.[10]).toBe('nan');
  });

  it('writes every type back exactly, with the documented PostgreSQL types', async () => {
    const ctx = harness.context('write', { connection: connection() });
    const result = await writer.run({
      stepId: 'write',
      config: {
        connection: '@postgres.test',
        schema,
        table: 'copy',
        write_mode: 'replace',
        primary_key: 'id',
      },
      inputs: [{ stepId: 'extract', table: harness.dataPlane.tableFor('extract') }],
      ctx,
    });
    expect(result.rows).toBe(ROWS.length);

    const types = await admin.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = '${quoteIdentifier(schema)}.copy'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(Object.fromEntries(types.rows.map((row) => [row.name, row.type]))).toEqual({
      id: 'integer',
      ...Object.fromEntries(Object.entries(MATRIX).map(([name, [, , postgresType]]) => [name, postgresType])),
    });

    // Same value, column by column and row by row (json compared as jsonb, which has equality).
    const comparisons = Object.keys(MATRIX).map((name) => {
      const column = quoteIdentifier(name);
      const left = name === 'doc' ? `s.${column}::jsonb` : `s.${column}`;
      return `bool_and(${left} IS NOT DISTINCT FROM c.${column}) AS ${column}`;
    });
    const compared = await admin.query(
      `SELECT count(*)::int AS rows, ${comparisons.join(', ')}
       FROM ${quoteIdentifier(schema)}.source s FULL JOIN ${quoteIdentifier(schema)}.copy c USING (id)`,
    );
    expect(compared.rows[0]).toEqual({
      rows: ROWS.length,
      ...Object.fromEntries(Object.keys(MATRIX).map((name) => [name, true])),
    });

    // NULL and empty stay apart, bytea keeps every byte.
    const exact = await admin.query(
      `SELECT id, label IS NULL AS label_null, label = '' AS label_empty, encode(bytes, 'hex') AS bytes
       FROM ${quoteIdentifier(schema)}.copy WHERE id IN (2, 3) ORDER BY id`,
    );
    expect(exact.rows).toEqual([
      { id: 2, label_null: true, label_empty: null, bytes: null },
      { id: 3, label_null: false, label_empty: true, bytes: '' },
    ]);
  });
});
