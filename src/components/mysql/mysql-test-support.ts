// Test support for the MySQL driver tests (not shipped code paths): a real data plane and step
// context wired to an in-memory sink, and a scratch database per test file on the test server.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { RunDataPlane } from '../../runtime/data-plane/index.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { ColumnInfo } from '../../spec/driver.js';

export interface ServerFacts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function mysqlConnection(
  facts: ServerFacts,
  overrides: Record<string, unknown> = {},
): ResolvedConnection {
  return {
    family: 'mysql',
    alias: 'test',
    ref: '@mysql.test',
    fields: {
      host: facts.host,
      port: facts.port,
      user: facts.user,
      password: facts.password,
      database: facts.database,
      ...overrides,
    },
    secretFields: ['password'],
  };
}

/** Every row of a data-plane table or query, as readChunks yields them. */
export async function readAll(
  dataPlane: RunDataPlane,
  sql: string,
): Promise<{ columns: ColumnInfo[]; rows: unknown[][] }> {
  let columns: ColumnInfo[] = [];
  const rows: unknown[][] = [];
  for await (const chunk of dataPlane.readChunks(sql)) {
    columns = chunk.columns;
    rows.push(...chunk.rows);
  }
  return { columns, rows };
}

/** A database of its own for one test file, so parallel files never see each other's tables. */
export async function createScratchDatabase(
  facts: ServerFacts,
): Promise<{ facts: ServerFacts; drop(): Promise<void> }> {
  const name = `osiris_test_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ ...facts, database: undefined });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    facts: { ...facts, database: name },
    drop: async () => {
      const connection = await mysql.createConnection({ ...facts, database: undefined });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** A plain mysql2 connection for arranging and checking test data (exact values, UTC). */
export async function openMysql(facts: ServerFacts): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    ...facts,
    charset: 'UTF8MB4_UNICODE_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: 'Z',
  });
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}

/** A table with every MySQL type worth mapping: extremes in row 1, other edges in row 2, NULLs in row 3. */
export async function createTypeMatrix(admin: mysql.Connection, table: string): Promise<void> {
  await admin.query(`CREATE TABLE \`${table}\` (
    id INT PRIMARY KEY, flag TINYINT(1), tiny TINYINT, tiny_unsigned TINYINT UNSIGNED, small SMALLINT,
    medium MEDIUMINT, normal INT, normal_unsigned INT UNSIGNED, big BIGINT, big_unsigned BIGINT UNSIGNED,
    amount DECIMAL(30,10), ratio FLOAT, precise DOUBLE, happened DATETIME(6), stamped TIMESTAMP(3) NULL,
    day DATE, duration TIME(6), year_value YEAR, document JSON, fixed_bytes BINARY(4), bytes VARBINARY(16),
    blob_value BLOB, text_value TEXT, name VARCHAR(40), code CHAR(3), choice ENUM('red','green'), bits BIT(10)
  ) DEFAULT CHARSET=utf8mb4`);
  await admin.query(`INSERT INTO \`${table}\` VALUES
    (1, 1, -128, 255, -32768, -8388608, -2147483648, 4294967295, 9007199254740993, 18446744073709551615,
     '12345678901234567890.0123456789', 1.5, 0.1, '2024-02-29 23:59:59.123456', '2038-01-19 03:14:07.999',
     '1000-01-01', '-838:59:59.000000', 2155, '{"k": [1, 2.5, "x"]}', 0x00FF0102, 0xDEADBEEF,
     0x000102, 'multi\\nline \\\\ text', 'Zoë 🍿 "quoted"', 'abc', 'green', b'1010101010'),
    (2, 0, 0, 0, 0, 0, 0, 0, -9223372036854775808, 0, '-0.0000000001', -3.25, -1e300, '1970-01-01 00:00:00',
     '1970-01-01 00:00:01', '9999-12-31', '12:34:56.5', 1901, '[]', 0x00000000, '', '', '', '', '', 'red', b'0'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
}
