import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runReadonlyQuery } from '../../src/composition/builtins.js';
import { isOsirisError } from '../../src/spec/errors.js';
import {
  connectionsFile,
  makeDiscoveryProject,
  serverConnectionYaml,
} from '../discovery/discovery-fixtures.js';
import { type DatabaseServerFacts, describeIfServers, requireTestServer } from '../setup/test-servers.js';

// Issue 19.1 for discovery: mysql2 neither ends nor fails a statement whose connection died; only
// the connection says so. A query of `osiris discover`/the agent must fail, not wait forever.
describeIfServers('mysql', 'MySQL discovery when its connection is killed', () => {
  let facts: DatabaseServerFacts;
  let admin: mysql.Connection;

  beforeAll(async () => {
    facts = requireTestServer('mysql');
    admin = await mysql.createConnection({ ...facts });
  });
  afterAll(async () => {
    await admin?.end();
  });

  it('fails the running query with E_CONNECTION_LOST when the server kills its session', async () => {
    const env = { ...process.env, MOVIES_DB_PASSWORD: facts.password };
    const projectDir = await makeDiscoveryProject(
      connectionsFile({
        mysql: [serverConnectionYaml('movies', facts, { passwordVariable: 'MOVIES_DB_PASSWORD' })],
      }),
    );
    const marker = `discovery-kill-${process.pid}-${Date.now()}`;
    const query = runReadonlyQuery({
      projectDir,
      env,
      ref: '@mysql.movies',
      sql: `SELECT SLEEP(60) AS slept, '${marker}' AS marker`,
      timeoutMs: 120_000,
    });
    const settled = query.then(
      () => undefined,
      (error: unknown) => error,
    );
    let killed = false;
    for (let attempt = 0; attempt < 100 && !killed; attempt++) {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        'SELECT id FROM information_schema.processlist WHERE info LIKE ? AND id <> CONNECTION_ID()',
        [`%${marker}%`],
      );
      if (rows[0]) {
        await admin.query(`KILL CONNECTION ${Number(rows[0].id)}`);
        killed = true;
      } else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(killed).toBe(true);
    const error = await settled;
    expect(isOsirisError(error) ? error.code : error).toBe('E_CONNECTION_LOST');
    expect(String((error as Error).message)).not.toContain(facts.password);
  }, 30_000);
});
