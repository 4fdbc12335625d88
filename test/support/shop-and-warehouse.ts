import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createScratchDatabase, openMysql } from '../../src/components/mysql/mysql-test-support.js';
import {
  adminClient,
  createScratchSchema,
  dropScratchSchema,
} from '../../src/components/postgres/testing/postgres-test-kit.js';
import { requireTestServer } from '../setup/test-servers.js';

/** A scratch MariaDB database and PostgreSQL schema, and a project's view of them. */
export interface ShopAndWarehouse {
  /** Session on the scratch MariaDB database (UTC, exact values). */
  my: mysql.Connection;
  /** Admin session on PostgreSQL (UTC). */
  pgClient: pg.Client;
  /** The scratch PostgreSQL schema. */
  schema: string;
  /** osiris_connections.yaml with `@mysql.shop` (the scratch database) and `@postgres.wh`. */
  connectionsYaml: string;
  /** The variables the connections file reads its passwords from. */
  env: Record<string, string>;
}

/**
 * Registers beforeAll/afterAll in the calling describe block: a MariaDB database and a PostgreSQL
 * schema of the file's own (the shared movies database is read by other tests), dropped at the end.
 * The returned object is filled in before the first test runs.
 */
export function useShopAndWarehouse(schemaPrefix: string): ShopAndWarehouse {
  const fixture = {} as ShopAndWarehouse;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  beforeAll(async () => {
    const mysqlFacts = requireTestServer('mysql');
    const postgresFacts = requireTestServer('postgres');
    scratch = await createScratchDatabase(mysqlFacts);
    fixture.my = await openMysql(scratch.facts);
    fixture.pgClient = await adminClient(postgresFacts);
    await fixture.pgClient.query("SET TimeZone = 'UTC'");
    fixture.schema = await createScratchSchema(fixture.pgClient, schemaPrefix);
    fixture.env = { MYSQL_PASSWORD: mysqlFacts.password, PG_PASSWORD: postgresFacts.password };
    fixture.connectionsYaml = `version: 1
connections:
  mysql:
    shop: { host: ${mysqlFacts.host}, port: ${mysqlFacts.port}, database: ${scratch.facts.database}, user: ${mysqlFacts.user}, password: "\${MYSQL_PASSWORD}" }
  postgres:
    wh: { host: ${postgresFacts.host}, port: ${postgresFacts.port}, database: ${postgresFacts.database}, user: ${postgresFacts.user}, password: "\${PG_PASSWORD}" }
`;
  });
  afterAll(async () => {
    await fixture.my?.end();
    if (fixture.pgClient) {
      await dropScratchSchema(fixture.pgClient, fixture.schema);
      await fixture.pgClient.end();
    }
    await scratch?.drop();
  });
  return fixture;
}
