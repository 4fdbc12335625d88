/**
 * Issue 19 acceptance: an awkward-values table (NULL vs '', unicode, 1 MB text, DECIMAL(38,10),
 * BIGINT bounds, JSON with long numbers and JSON null, ±Infinity, NaN, mixed-sign intervals,
 * MySQL TIME beyond a day and zero dates) goes from the real server through every writer (CSV,
 * JSON, Parquet, the database's own writer) and back through the matching extractor, and every
 * value comes back exactly. Where the type changes on the way, the expected types below are the
 * documented conversion, and the value is still compared exactly (cast back to the source type,
 * compared as text, so `1 mon` vs `30 days` or `1.10` vs `1.1` would count as different).
 *
 * JSON has no Osiris extractor, and DuckDB's read_json reads every number as a double, so the
 * JSON file is read back with an exact member splitter (test/support/json-members.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { driver as duckdbExtractor } from '../../src/components/duckdb/extractor.driver.js';
import { driver as csvExtractor } from '../../src/components/filesystem/csv-extractor.driver.js';
import { driver as csvWriter } from '../../src/components/filesystem/csv-writer.driver.js';
import { driver as jsonWriter } from '../../src/components/filesystem/json-writer.driver.js';
import { driver as parquetWriter } from '../../src/components/filesystem/parquet-writer.driver.js';
import { driver as mysqlExtractor } from '../../src/components/mysql/extractor.driver.js';
import {
  createScratchDatabase,
  mysqlConnection,
  openMysql,
  type ServerFacts,
} from '../../src/components/mysql/mysql-test-support.js';
import { driver as mysqlWriter } from '../../src/components/mysql/writer.driver.js';
import { driver as postgresExtractor } from '../../src/components/postgres/extractor.driver.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
  postgresConnection,
} from '../../src/components/postgres/testing/postgres-test-kit.js';
import { driver as postgresWriter } from '../../src/components/postgres/writer.driver.js';
import { createDriverHarness, type DriverHarness } from '../../src/runtime/testing/driver-harness.js';
import type { ResolvedConnection } from '../../src/spec/connection.js';
import type { ColumnInfo } from '../../src/spec/driver.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { jsonMembers } from '../support/json-members.js';

/** About 1 MB of multi-byte text. */
const LARGE_TEXT_SQL = `repeat('é🍿x', 150000)`;
const UNICODE = `Zoë 😀 "quoted", comma\nnewline \\ backslash\ttab`;

type Types = Record<string, string>;

async function typesOf(harness: DriverHarness, table: string): Promise<Types> {
  const columns = await harness.dataPlane.columns(table);
  return Object.fromEntries(columns.map((column) => [column.name, column.type]));
}

async function textRows(harness: DriverHarness, sql: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const chunk of harness.dataPlane.readChunks(sql)) rows.push(...chunk.rows);
  return rows;
}

/**
 * Every column of `back` against `source`, row by row (joined on id): the value read back, cast
 * to the source column's type, must print exactly as the source value. Returns column → all equal.
 */
async function compare(
  harness: DriverHarness,
  source: string,
  back: string,
): Promise<Record<string, unknown>> {
  const columns = await harness.dataPlane.columns(source);
  const checks = columns.map((column) => {
    const name = quotedIdentifier(column.name);
    return `bool_and(CAST(CAST(b.${name} AS ${column.type}) AS VARCHAR) IS NOT DISTINCT FROM CAST(s.${name} AS VARCHAR)) AS ${name}`;
  });
  const [row] = await textRows(
    harness,
    `SELECT count(s.id) AS source_rows, count(b.id) AS back_rows, ${checks.join(', ')}
     FROM ${quotedIdentifier(source)} s FULL JOIN ${quotedIdentifier(back)} b ON s.id = b.id`,
  );
  return Object.fromEntries(
    ['source_rows', 'back_rows', ...columns.map((column) => column.name)].map((name, index) => [
      name,
      typeof row?.[index] === 'bigint' ? Number(row[index]) : row?.[index],
    ]),
  );
}

function allEqual(columns: ColumnInfo[], rows: number): Record<string, unknown> {
  return {
    source_rows: rows,
    back_rows: rows,
    ...Object.fromEntries(columns.map((column) => [column.name, true])),
  };
}

/**
 * Source step → CSV, JSON and Parquet files → back into the data plane. Returns the table each
 * file came back as.
 */
async function throughFiles(harness: DriverHarness, source: string, prefix: string) {
  const needs = [source];
  const sourceColumns = await harness.dataPlane.columns(harness.dataPlane.tableFor(source));

  await harness.run(csvWriter, {
    stepId: `${prefix}_csv_out`,
    needs,
    config: { path: `data/${prefix}.csv` },
  });
  await harness.run(csvExtractor, { stepId: `${prefix}_csv`, config: { path: `data/${prefix}.csv` } });

  const parquet = join(harness.projectDir, 'data', `${prefix}.parquet`);
  await harness.run(parquetWriter, {
    stepId: `${prefix}_parquet_out`,
    needs,
    config: { path: `data/${prefix}.parquet` },
  });
  await harness.run(duckdbExtractor, {
    stepId: `${prefix}_parquet`,
    config: { query: `SELECT * FROM read_parquet(${quotedString(parquet)})` },
  });

  // omit_nulls keeps SQL NULL (no member) apart from a JSON column's JSON null (`null`).
  await harness.run(jsonWriter, {
    stepId: `${prefix}_json_out`,
    needs,
    config: { path: `data/${prefix}.jsonl`, omit_nulls: true },
  });
  const lines = (await readFile(join(harness.projectDir, 'data', `${prefix}.jsonl`), 'utf8')).split('\n');
  expect(lines.pop()).toBe('');
  const rows = lines.map((line) => {
    const members = jsonMembers(line);
    return sourceColumns.map((column) => {
      const raw = members.get(column.name);
      if (raw === undefined) return null;
      if (column.type === 'JSON') return raw;
      return raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    });
  });
  await harness.dataPlane.appendRows(
    harness.dataPlane.tableFor(`${prefix}_json`),
    sourceColumns.map((column) => ({ name: column.name, type: 'VARCHAR' })),
    (async function* () {
      yield rows;
    })(),
  );
  return {
    csv: harness.dataPlane.tableFor(`${prefix}_csv`),
    parquet: harness.dataPlane.tableFor(`${prefix}_parquet`),
    json: harness.dataPlane.tableFor(`${prefix}_json`),
    jsonLines: lines,
  };
}

describeIfServers('postgres', 'awkward values: PostgreSQL → every writer → back', () => {
  let admin: pg.Client;
  let harness: DriverHarness;
  let schema: string;
  let connection: ResolvedConnection;

  beforeAll(async () => {
    admin = await adminClient(requireTestServer('postgres'));
    schema = await createScratchSchema(admin, 'osiris_awkward');
    harness = await createDriverHarness();
    connection = postgresConnection(requireTestServer('postgres'));
    await admin.query(`CREATE TABLE ${quotedIdentifier(schema)}.awkward (
      id int PRIMARY KEY, label text, amount numeric(38,10), big bigint, doc jsonb, ratio float8,
      single float4, span interval, stamp timestamptz)`);
    await admin.query(
      `INSERT INTO ${quotedIdentifier(schema)}.awkward VALUES
       (1, '', 12345678901234567890.1234567891, 9223372036854775807,
        '{"n": 1.00000000000000000001, "m": 0.12345678901234567890123}', 'Infinity', 1.1,
        '-3 days +04:05:06', '2024-06-01 12:00:00.5+00'),
       (2, NULL, -0.0000000001, -9223372036854775808, 'null', '-Infinity', 3.4028235e38,
        '1 year -2 mons +3 days -04:05:06.789012', '0001-01-01 00:00:00+00'),
       (3, $1, 9999999999999999999999999999.9999999999, 0, NULL, 'NaN', -1.5e-45, '-00:00:00.000001', NULL),
       (4, ${LARGE_TEXT_SQL}, 0, -1, '[12345678901234567890123, 1e-7, "x"]', 0.1, 0.1, NULL, '9999-12-31 23:59:59.999999+00'),
       (5, ' ', NULL, NULL, '{}', NULL, NULL, '0 seconds', '1970-01-01 00:00:00+00')`,
      [UNICODE],
    );
  });

  afterAll(async () => {
    if (schema) await dropScratchSchema(admin, schema);
    await admin?.end();
    await harness?.close();
  });

  it('extracts the source exactly', async () => {
    await harness.run(postgresExtractor, {
      stepId: 'pg_source',
      connection,
      config: {
        connection: '@postgres.test',
        query: `SELECT * FROM ${quotedIdentifier(schema)}.awkward ORDER BY id`,
      },
    });
    expect(await typesOf(harness, 'df_pg_source')).toEqual({
      id: 'INTEGER',
      label: 'VARCHAR',
      amount: 'DECIMAL(38,10)',
      big: 'BIGINT',
      doc: 'JSON',
      ratio: 'DOUBLE',
      single: 'FLOAT',
      span: 'INTERVAL',
      stamp: 'TIMESTAMP WITH TIME ZONE',
    });
    expect(
      await textRows(
        harness,
        `SELECT label IS NULL, label = '', CAST(amount AS VARCHAR), CAST(doc AS VARCHAR), CAST(ratio AS VARCHAR),
           CAST(single AS VARCHAR), CAST(span AS VARCHAR), length(label) FROM df_pg_source ORDER BY id`,
      ),
    ).toEqual([
      [
        false,
        true,
        '12345678901234567890.1234567891',
        '{"m": 0.12345678901234567890123, "n": 1.00000000000000000001}',
        'inf',
        '1.1',
        '-3 days 04:05:06',
        0n,
      ],
      [
        true,
        null,
        '-0.0000000001',
        'null',
        '-inf',
        '3.4028235e+38',
        '10 months 3 days -04:05:06.789012',
        null,
      ],
      [
        false,
        false,
        '9999999999999999999999999999.9999999999',
        null,
        'nan',
        '-1e-45',
        '-00:00:00.000001',
        BigInt(UNICODE.length - 1),
      ],
      [
        false,
        false,
        '0.0000000000',
        '[12345678901234567890123, 0.0000001, "x"]',
        '0.1',
        '0.1',
        null,
        450000n,
      ],
      [false, false, null, '{}', null, null, '00:00:00', 1n],
    ]);
  });

  it('CSV, JSON and Parquet files read back to the same values', async () => {
    const back = await throughFiles(harness, 'pg_source', 'pg');
    const columns = await harness.dataPlane.columns('df_pg_source');

    // CSV has no types: JSON documents and intervals come back as their exact text, REAL as DOUBLE.
    expect(await typesOf(harness, back.csv)).toEqual({
      id: 'BIGINT',
      label: 'VARCHAR',
      amount: 'DECIMAL(38,10)',
      big: 'BIGINT',
      doc: 'VARCHAR',
      ratio: 'DOUBLE',
      single: 'DOUBLE',
      span: 'VARCHAR',
      stamp: 'TIMESTAMP WITH TIME ZONE',
    });
    expect(await compare(harness, 'df_pg_source', back.csv)).toEqual(allEqual(columns, 5));
    // '' and NULL stay apart; JSON null is the text `null`, SQL NULL is NULL.
    expect(
      await textRows(
        harness,
        `SELECT id, label IS NULL, label = '', doc FROM ${back.csv} WHERE id IN (1, 2, 3) ORDER BY id`,
      ),
    ).toEqual([
      [1n, false, true, '{"m": 0.12345678901234567890123, "n": 1.00000000000000000001}'],
      [2n, true, null, 'null'],
      [3n, false, false, null],
    ]);

    // Parquet keeps types, except intervals (text: Parquet's INTERVAL has no negative parts).
    expect(await typesOf(harness, back.parquet)).toEqual({
      ...(await typesOf(harness, 'df_pg_source')),
      span: 'VARCHAR',
    });
    expect(await compare(harness, 'df_pg_source', back.parquet)).toEqual(allEqual(columns, 5));

    // JSON: every member's text reads back as the exact value; non-finite floats are strings.
    expect(await compare(harness, 'df_pg_source', back.json)).toEqual(allEqual(columns, 5));
    expect(back.jsonLines[0]).toContain(
      '"amount":12345678901234567890.1234567891,"big":9223372036854775807,' +
        '"doc":{"m": 0.12345678901234567890123, "n": 1.00000000000000000001},"ratio":"Infinity","single":1.1,',
    );
    expect(jsonMembers(back.jsonLines[1] ?? '').get('doc')).toBe('null');
    expect(jsonMembers(back.jsonLines[2] ?? '').has('doc')).toBe(false);
  });

  it('postgres.writer and postgres.extractor give the source back', async () => {
    await harness.run(postgresWriter, {
      stepId: 'pg_db_out',
      needs: ['pg_source'],
      connection,
      config: {
        connection: '@postgres.test',
        schema,
        table: 'copy',
        write_mode: 'replace',
        primary_key: 'id',
      },
    });
    await harness.run(postgresExtractor, {
      stepId: 'pg_db',
      connection,
      config: {
        connection: '@postgres.test',
        query: `SELECT * FROM ${quotedIdentifier(schema)}.copy ORDER BY id`,
      },
    });
    const columns = await harness.dataPlane.columns('df_pg_source');
    expect(await typesOf(harness, 'df_pg_db')).toEqual(await typesOf(harness, 'df_pg_source'));
    expect(await compare(harness, 'df_pg_source', 'df_pg_db')).toEqual(allEqual(columns, 5));

    // And in PostgreSQL itself, as PostgreSQL prints each value.
    const names = columns.map((column) => quotedIdentifier(column.name));
    const compared = await admin.query(
      `SELECT count(*)::int AS rows, ${names
        .map((name) => `bool_and(s.${name}::text IS NOT DISTINCT FROM c.${name}::text) AS ${name}`)
        .join(', ')}
       FROM ${quotedIdentifier(schema)}.awkward s FULL JOIN ${quotedIdentifier(schema)}.copy c USING (id)`,
    );
    expect(compared.rows[0]).toEqual({
      rows: 5,
      ...Object.fromEntries(columns.map((column) => [column.name, true])),
    });
  });
});

describeIfServers('mysql', 'awkward values: MariaDB → every writer → back', () => {
  let server: ServerFacts;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let admin: mysql.Connection;
  let harness: DriverHarness;
  let connection: ResolvedConnection;

  beforeAll(async () => {
    server = requireTestServer('mysql');
    scratch = await createScratchDatabase(server);
    admin = await openMysql(scratch.facts);
    harness = await createDriverHarness();
    connection = mysqlConnection(scratch.facts);
    // Zero dates need a permissive sql_mode to be stored at all.
    await admin.query(`SET SESSION sql_mode = ''`);
    await admin.query(`CREATE TABLE awkward (
      id INT PRIMARY KEY, label LONGTEXT, amount DECIMAL(38,10), big BIGINT, ubig BIGINT UNSIGNED, doc JSON,
      single FLOAT, ratio DOUBLE, dur TIME(6), day DATE, stamp DATETIME(6)
    ) DEFAULT CHARSET=utf8mb4`);
    await admin.query(
      `INSERT INTO awkward VALUES
       (1, '', 12345678901234567890.1234567891, 9223372036854775807, 18446744073709551615,
        '{"n": 1.00000000000000000001, "m": 0.12345678901234567890123}', 1.1, 0.1, '-838:59:59', '0000-00-00',
        '0000-00-00 00:00:00'),
       (2, NULL, -0.0000000001, -9223372036854775808, 0, 'null', 3.40282e38, -1e300, '838:59:59', '2024-02-29',
        '2024-02-29 23:59:59.999999'),
       (3, ?, 9999999999999999999999999999.9999999999, 0, 1, NULL, -1.5, 5e-324, '-00:00:01.500000', '1000-01-01',
        '1000-01-01 00:00:00'),
       (4, ${LARGE_TEXT_SQL.replace('repeat', 'REPEAT')}, 0, -1, NULL, '[12345678901234567890123, 1e-7, "x"]', NULL,
        NULL, NULL, '9999-12-31', '9999-12-31 23:59:59.999999'),
       (5, ' ', NULL, NULL, NULL, '{}', NULL, NULL, '00:00:00', NULL, NULL)`,
      [UNICODE],
    );
  });

  afterAll(async () => {
    await admin?.end();
    await scratch?.drop();
    await harness?.close();
  });

  it('extracts the source exactly; zero dates become NULL (documented)', async () => {
    await harness.run(mysqlExtractor, {
      stepId: 'my_source',
      connection,
      config: { connection: '@mysql.test', query: 'SELECT * FROM awkward ORDER BY id' },
    });
    expect(await typesOf(harness, 'df_my_source')).toEqual({
      id: 'INTEGER',
      label: 'VARCHAR',
      amount: 'DECIMAL(38,10)',
      big: 'BIGINT',
      ubig: 'UBIGINT',
      doc: 'JSON',
      single: 'FLOAT',
      ratio: 'DOUBLE',
      dur: 'INTERVAL',
      day: 'DATE',
      stamp: 'TIMESTAMP',
    });
    expect(
      await textRows(
        harness,
        `SELECT label = '', CAST(amount AS VARCHAR), CAST(ubig AS VARCHAR), CAST(doc AS VARCHAR), CAST(single AS VARCHAR),
           CAST(dur AS VARCHAR), day, stamp FROM df_my_source WHERE id IN (1, 2) ORDER BY id`,
      ),
    ).toEqual([
      [
        true,
        '12345678901234567890.1234567891',
        '18446744073709551615',
        '{"n": 1.00000000000000000001, "m": 0.12345678901234567890123}',
        '1.1',
        '-838:59:59',
        null,
        null,
      ],
      [
        null,
        '-0.0000000001',
        '0',
        'null',
        '3.40282e+38',
        '838:59:59',
        '2024-02-29',
        '2024-02-29T23:59:59.999999',
      ],
    ]);
  });

  it('CSV, JSON and Parquet files read back to the same values', async () => {
    const back = await throughFiles(harness, 'my_source', 'my');
    const columns = await harness.dataPlane.columns('df_my_source');
    expect(await typesOf(harness, back.csv)).toEqual({
      id: 'BIGINT',
      label: 'VARCHAR',
      amount: 'DECIMAL(38,10)',
      big: 'BIGINT',
      ubig: 'DECIMAL(38,0)',
      doc: 'VARCHAR',
      single: 'DOUBLE',
      ratio: 'DOUBLE',
      dur: 'VARCHAR',
      day: 'DATE',
      stamp: 'TIMESTAMP',
    });
    expect(await compare(harness, 'df_my_source', back.csv)).toEqual(allEqual(columns, 5));
    expect(await typesOf(harness, back.parquet)).toEqual({
      ...(await typesOf(harness, 'df_my_source')),
      dur: 'VARCHAR',
    });
    expect(await compare(harness, 'df_my_source', back.parquet)).toEqual(allEqual(columns, 5));
    expect(await compare(harness, 'df_my_source', back.json)).toEqual(allEqual(columns, 5));
    expect(back.jsonLines[0]).toContain(
      '"doc":{"n": 1.00000000000000000001, "m": 0.12345678901234567890123},"single":1.1,"ratio":0.1,"dur":"-838:59:59"',
    );
  });

  it('mysql.writer and mysql.extractor give the source back', async () => {
    await harness.run(mysqlWriter, {
      stepId: 'my_db_out',
      needs: ['my_source'],
      connection,
      config: { connection: '@mysql.test', table: 'copy', write_mode: 'replace', primary_key: 'id' },
    });
    await harness.run(mysqlExtractor, {
      stepId: 'my_db',
      connection,
      config: { connection: '@mysql.test', query: 'SELECT * FROM copy ORDER BY id' },
    });
    const columns = await harness.dataPlane.columns('df_my_source');
    expect(await compare(harness, 'df_my_source', 'df_my_db')).toEqual(allEqual(columns, 5));
    expect(await typesOf(harness, 'df_my_db')).toEqual(await typesOf(harness, 'df_my_source'));

    // In MariaDB itself every value matches, except the zero dates, which arrive as NULL.
    const names = columns.map((column) => column.name);
    const [rows] = await admin.query(
      `SELECT count(*) AS \`rows\`, ${names
        .map(
          (name) =>
            `SUM(NOT (CAST(s.\`${name}\` AS BINARY) <=> CAST(c.\`${name}\` AS BINARY))) AS \`${name}\``,
        )
        .join(', ')}
       FROM awkward s JOIN copy c USING (id)`,
    );
    expect((rows as Record<string, unknown>[])[0]).toEqual({
      rows: '5',
      ...Object.fromEntries(names.map((name) => [name, name === 'day' || name === 'stamp' ? '1' : '0'])),
    });
  });
});
