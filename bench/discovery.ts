/**
 * Discovery of a generated 500-table schema on the test servers (MariaDB and PostgreSQL,
 * started on loopback as the test suite does), printed in seconds. Run with:
 *
 *   npx tsx bench/discovery.ts [--tables 500] [--family mysql|postgres]
 *
 * Times are figures to compare, not assertions: the target is well under 5 s per discovery.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { discoverDatabase, searchValues } from '../src/composition/builtins.js';
import { wideSchemaSql, wideTableName } from '../test/discovery/wide-schema.js';
import type { DatabaseServerFacts, ServerFamily } from '../test/setup/server-facts.js';
import { startTestServers } from '../test/setup/servers.js';

const DATABASE = 'bench_discovery_wide';

const { values } = parseArgs({
  options: { tables: { type: 'string', default: '500' }, family: { type: 'string' } },
});
const tableCount = Number(values.tables);
const families: ServerFamily[] = values.family ? [values.family as ServerFamily] : ['postgres', 'mysql'];

async function createWideSchema(family: ServerFamily, facts: DatabaseServerFacts): Promise<void> {
  const statements = wideSchemaSql(family, tableCount);
  if (family === 'mysql') {
    const connection = await mysql.createConnection({ ...facts, multipleStatements: true });
    try {
      await connection.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
      await connection.query(`CREATE DATABASE ${DATABASE}`);
      await connection.query(`USE ${DATABASE}`);
      for (const statement of statements) await connection.query(statement);
      // InnoDB's row estimates are empty until statistics are gathered.
      for (let index = 1; index <= tableCount; index += 50) {
        const names = Array.from({ length: Math.min(50, tableCount - index + 1) }, (_, offset) =>
          wideTableName(index + offset),
        );
        await connection.query(`ANALYZE TABLE ${names.join(', ')}`);
      }
    } finally {
      await connection.end();
    }
    return;
  }
  const admin = new pg.Client(facts);
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const client = new pg.Client({ ...facts, database: DATABASE });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const statement of statements) await client.query(statement);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`${label.padEnd(58)} ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return result;
}

async function benchFamily(family: ServerFamily, facts: DatabaseServerFacts): Promise<void> {
  await timed(`${family}: create ${tableCount} tables (setup, not discovery)`, () =>
    createWideSchema(family, facts),
  );
  const projectDir = await mkdtemp(path.join(tmpdir(), 'osiris-bench-discovery-'));
  try {
    await writeFile(
      path.join(projectDir, 'osiris_connections.yaml'),
      `version: 1\nconnections:\n  ${family}:\n    wide:\n      host: ${facts.host}\n      port: ${facts.port}\n` +
        `      user: ${facts.user}\n      password: \${BENCH_PASSWORD}\n      database: ${DATABASE}\n`,
    );
    const options = {
      projectDir,
      ref: `@${family}.wide`,
      env: { ...process.env, BENCH_PASSWORD: facts.password },
    };
    for (const samples of [0, 10]) {
      const profile = await timed(
        `${family}: discover ${tableCount} tables, ${samples} sample rows each`,
        () => discoverDatabase({ ...options, samples, refresh: true }),
      );
      const failed = profile.tables.filter((table) => table.error).length;
      if (profile.tables.length !== tableCount || failed > 0) {
        throw new Error(
          `${family}: expected ${tableCount} tables without errors, got ${profile.tables.length} (${failed} failed)`,
        );
      }
    }
    await timed(`${family}: discover again, served from the cache`, () =>
      discoverDatabase({ ...options, samples: 10 }),
    );
    const search = await timed(
      `${family}: search every text column for "second of ${wideTableName(tableCount)}"`,
      () => searchValues({ ...options, text: `second of ${wideTableName(tableCount)}` }),
    );
    console.log(`${family}: search found ${search.hits.length} hit(s) in ${search.searched_tables} tables`);
  } finally {
    await rm(projectDir, { recursive: true, force: true });
  }
}

const running = await startTestServers();
try {
  for (const family of families) {
    const facts = running.servers[family];
    if (!facts) {
      console.log(`${family}: skipped (${running.servers.unavailable[family]})`);
      continue;
    }
    await benchFamily(family, facts);
  }
} finally {
  await running.stop();
}
