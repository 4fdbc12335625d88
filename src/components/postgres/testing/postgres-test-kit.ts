import pg from 'pg';
import type { DatabaseServerFacts } from '../../../../test/setup/test-servers.js';
import type { RunDataPlane } from '../../../runtime/data-plane/index.js';
import type { ResolvedConnection } from '../../../spec/connection.js';
import { quoteIdentifier } from '../identifiers.js';

/** A resolved `@postgres.test` connection to a test server, as the runner would hand it to a driver. */
export function postgresConnection(
  facts: DatabaseServerFacts,
  fields: Record<string, unknown> = {},
  family = 'postgres',
): ResolvedConnection {
  return {
    family,
    alias: 'test',
    ref: `@${family}.test`,
    fields: {
      host: facts.host,
      port: facts.port,
      user: facts.user,
      password: facts.password,
      database: facts.database,
      ...fields,
    },
    secretFields: ['password', 'dsn', 'key', 'service_role_key'],
  };
}

export async function adminClient(facts: DatabaseServerFacts): Promise<pg.Client> {
  const client = new pg.Client({ ...facts });
  await client.connect();
  return client;
}

/** A schema of its own per test file, so files can run in parallel against one server. */
export async function createScratchSchema(client: pg.Client, prefix: string): Promise<string> {
  const schema = `${prefix}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  await client.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  return schema;
}

export async function dropScratchSchema(client: pg.Client, schema: string): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
}

/** Every row of a data-plane query, each value as DuckDB's text (NULL stays null). */
export async function duckdbTextRows(dataPlane: RunDataPlane, sql: string): Promise<(string | null)[][]> {
  const connection = await dataPlane.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value))));
  } finally {
    connection.closeSync();
  }
}
