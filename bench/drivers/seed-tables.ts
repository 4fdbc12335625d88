import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DatabaseServerFacts } from '../../test/setup/server-facts.js';

export const BENCH_TABLE = 'bench_rows';

/** Rows per INSERT … SELECT on MariaDB: bounded transactions (undo log, lock memory). */
const MARIADB_ROWS_PER_STATEMENT = 1_000_000;

/**
 * The same eight columns and values in both servers: bigint id, int, varchar, timestamp
 * (MariaDB DATETIME, PostgreSQL timestamp: both without time zone), decimal(10,2), bool,
 * varchar(64) (an MD5, NULL on every tenth row) and double.
 */
const MARIADB_TABLE = `CREATE TABLE ${BENCH_TABLE} (
  id BIGINT NOT NULL PRIMARY KEY,
  quantity INT NOT NULL,
  name VARCHAR(100) NOT NULL,
  created_at DATETIME NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  active BOOLEAN NOT NULL,
  digest VARCHAR(64) NULL,
  score DOUBLE NOT NULL
) ENGINE=InnoDB`;

const POSTGRES_TABLE = `CREATE TABLE ${BENCH_TABLE} (
  id bigint NOT NULL PRIMARY KEY,
  quantity integer NOT NULL,
  name varchar(100) NOT NULL,
  created_at timestamp NOT NULL,
  price numeric(10,2) NOT NULL,
  active boolean NOT NULL,
  digest varchar(64) NULL,
  score double precision NOT NULL
)`;

/** MariaDB's SEQUENCE engine gives `seq_1_to_N` tables without storing anything. */
export async function seedMariaDb(facts: DatabaseServerFacts, rows: number): Promise<void> {
  const connection = await mysql.createConnection({ ...facts });
  try {
    await connection.query(`DROP TABLE IF EXISTS ${BENCH_TABLE}`);
    await connection.query(MARIADB_TABLE);
    for (let offset = 0; offset < rows; offset += MARIADB_ROWS_PER_STATEMENT) {
      const count = Math.min(MARIADB_ROWS_PER_STATEMENT, rows - offset);
      await connection.query(
        `INSERT INTO ${BENCH_TABLE}
         SELECT n, (n * 7919) % 1000003, CONCAT('customer-', n),
                TIMESTAMP'2020-01-01 00:00:00' + INTERVAL n SECOND, (n % 100000) / 100, n % 3 = 0,
                IF(n % 10 = 0, NULL, MD5(n)), SQRT(n)
         FROM (SELECT seq + ${offset} AS n FROM seq_1_to_${count}) AS numbers`,
      );
    }
    await connection.query(`ANALYZE TABLE ${BENCH_TABLE}`);
  } finally {
    await connection.end();
  }
}

export async function seedPostgres(facts: DatabaseServerFacts, rows: number): Promise<void> {
  const client = new pg.Client({ ...facts });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${BENCH_TABLE}`);
    await client.query(POSTGRES_TABLE);
    await client.query(
      `INSERT INTO ${BENCH_TABLE}
       SELECT n, ((n * 7919) % 1000003)::integer, concat('customer-', n),
              timestamp '2020-01-01 00:00:00' + n * interval '1 second', ((n % 100000) / 100.0)::numeric(10,2),
              n % 3 = 0, CASE WHEN n % 10 = 0 THEN NULL ELSE md5(n::text) END, sqrt(n)
       FROM generate_series(1::bigint, $1::bigint) AS n`,
      [rows],
    );
    // Freezing sets the hint bits now, so the first reader (baseline or Osiris) does not pay for
    // rewriting every page.
    await client.query(`VACUUM (FREEZE, ANALYZE) ${BENCH_TABLE}`);
  } finally {
    await client.end();
  }
}

/** Remove the bench table again (servers given by URL outlive the bench). */
export async function dropMariaDbTable(facts: DatabaseServerFacts, table: string): Promise<void> {
  const connection = await mysql.createConnection({ ...facts });
  try {
    await connection.query(`DROP TABLE IF EXISTS ${connection.escapeId(table)}`);
  } finally {
    await connection.end();
  }
}

/** Drop a table an earlier load created, so every load into PostgreSQL starts from nothing. */
export async function dropPostgresTable(facts: DatabaseServerFacts, table: string): Promise<void> {
  const client = new pg.Client({ ...facts });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${client.escapeIdentifier(table)}`);
  } finally {
    await client.end();
  }
}

export async function countPostgresRows(facts: DatabaseServerFacts, table: string): Promise<number> {
  const client = new pg.Client({ ...facts });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${client.escapeIdentifier(table)}`,
    );
    return Number(result.rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}
