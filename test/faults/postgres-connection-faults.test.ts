import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeProject } from '../support/project.js';
import { expectNothingHalfWritten, newRunStatus, privateTmp, runIds, sha256, startRun } from './fault-run.js';
import { type PrivateServer, privateServersAvailable, startPrivatePostgres } from './private-servers.js';

const ROWS = 250_000;
const OUTPUT = 'out/big.parquet';

/**
 * Issue 19 items 1 and 2 for PostgreSQL, on a private server: a large PostgreSQL → Parquet
 * extract whose server is killed or frozen (every server process SIGSTOPped) mid-COPY. The run
 * must end non-zero (a coded error, E_TIMEOUT past read_timeout, exit 130 at the first Ctrl-C),
 * leave the old output untouched and no temp folder, and a rerun must succeed.
 */
const describeIfPostgres =
  privateServersAvailable().postgres || process.env.CI === 'true' ? describe : describe.skip;

describeIfPostgres('PostgreSQL extract when its connection dies or its server freezes', () => {
  let server: PrivateServer;
  let project = '';
  let tmp = '';
  const tmps: string[] = [];
  let outputHash = '';

  const pipeline = (name: string, connection: string) => `oml_version: "0.1.0"
name: ${name}
steps:
  - id: read-big
    component: postgres.extractor
    mode: read
    config:
      connection: "${connection}"
      # Without ORDER BY, synchronized sequential scans may start mid-table: bytes would differ.
      query: SELECT * FROM big ORDER BY id
  - id: write-big
    component: filesystem.parquet_writer
    mode: write
    needs: [read-big]
    config:
      path: ${OUTPUT}
`;

  const admin = async () => {
    const client = new pg.Client({ ...server.facts });
    await client.connect();
    return client;
  };

  /** Resolves once the extract's COPY is running on the server. */
  const extractInFlight = async (): Promise<void> => {
    const client = await admin();
    try {
      for (;;) {
        const { rows } = await client.query(
          "SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY%big%' AND pid <> pg_backend_pid()",
        );
        if (rows.length > 0) return;
        await sleep(20);
      }
    } finally {
      await client.end();
    }
  };

  const rerunSucceeds = async () => {
    const before = await runIds(project);
    const { code, stderr } = await startRun(project, tmp, ['pipelines/copy.yaml']).exited;
    expect(code, stderr).toBe(0);
    expect((await newRunStatus(project, before)).status).toBe('success');
    expect(await sha256(join(project, OUTPUT))).toBe(outputHash);
  };

  beforeAll(async () => {
    server = await startPrivatePostgres();
    const client = await admin();
    try {
      await client.query(
        "CREATE TABLE big AS SELECT g AS id, 'name-' || g AS name, (g / 100.0)::numeric(12,2) AS amount " +
          `FROM generate_series(1, ${ROWS}) AS g`,
      );
    } finally {
      await client.end();
    }
    const connection = (readTimeout?: number) =>
      `      host: 127.0.0.1
      port: ${server.facts.port}
      user: ${server.facts.user}
      password: \${FAULTS_PG_PASSWORD}
      database: ${server.facts.database}
      connect_retries: 0
${readTimeout === undefined ? '' : `      read_timeout: ${readTimeout}\n`}`;
    project = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  postgres:
    faults:
      default: true
${connection()}    impatient:
${connection(2)}`,
      '.env': `FAULTS_PG_PASSWORD=${server.facts.password}\n`,
      'pipelines/copy.yaml': pipeline('copy-big', '@postgres.faults'),
      'pipelines/impatient.yaml': pipeline('copy-big-impatient', '@postgres.impatient'),
      'pipelines/load.yaml': `oml_version: "0.1.0"
name: load-big
steps:
  - id: read-big
    component: postgres.extractor
    mode: read
    config:
      connection: "@postgres.faults"
      query: SELECT * FROM big ORDER BY id
  - id: load-big
    component: postgres.writer
    mode: write
    needs: [read-big]
    config:
      connection: "@postgres.faults"
      table: big_copy
      write_mode: append
`,
    });
    tmp = await privateTmp();
    tmps.push(tmp);
    const first = await startRun(project, tmp, ['pipelines/copy.yaml']).exited;
    expect(first.code, first.stderr).toBe(0);
    outputHash = await sha256(join(project, OUTPUT));
  });

  // Each case starts from a running server and an empty temp folder, whatever the previous one left.
  beforeEach(async () => {
    await server.ensureUp();
    tmp = await privateTmp();
    tmps.push(tmp);
  });

  afterAll(async () => {
    await server?.stop();
    if (project) await rm(project, { recursive: true, force: true });
    for (const each of tmps) await rm(each, { recursive: true, force: true });
  });

  it('fails the run with E_CONNECTION_LOST when the server is killed mid-extract', async () => {
    const before = await runIds(project);
    const run = startRun(project, tmp, ['pipelines/copy.yaml']);
    await extractInFlight();
    await server.kill();
    const { code, stdout, stderr } = await run.exited;
    expect(code, `${stdout}\n${stderr}`).toBe(3);
    const status = await newRunStatus(project, before);
    expect(status.status).toBe('failed');
    expect(status.error?.code).toBe('E_CONNECTION_LOST');
    await expectNothingHalfWritten(project, tmp, OUTPUT, outputHash);
    await server.restart();
    await rerunSucceeds();
  });

  it('fails the run with E_TIMEOUT when the server freezes past read_timeout', async () => {
    const before = await runIds(project);
    const run = startRun(project, tmp, ['pipelines/impatient.yaml']);
    await extractInFlight();
    server.freeze();
    let result: Awaited<typeof run.exited>;
    try {
      result = await run.exited;
    } finally {
      server.thaw();
    }
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(3);
    const status = await newRunStatus(project, before);
    expect(status.status).toBe('failed');
    expect(status.error?.code).toBe('E_TIMEOUT');
    expect(status.error?.hint).toContain('read_timeout');
    await expectNothingHalfWritten(project, tmp, OUTPUT, outputHash);
    await rerunSucceeds();
  });

  it('stops at the first Ctrl-C while the server is frozen: exit 130, run cancelled', async () => {
    const before = await runIds(project);
    const run = startRun(project, tmp, ['pipelines/copy.yaml']);
    await extractInFlight();
    server.freeze();
    let result: Awaited<typeof run.exited>;
    try {
      run.interrupt();
      // The server stays frozen until the CLI has exited: it must not wait on the socket.
      result = await run.exited;
    } finally {
      server.thaw();
    }
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(130);
    const status = await newRunStatus(project, before);
    expect(status.status).toBe('cancelled');
    expect(status.error?.code).toBe('E_CANCELLED');
    await expectNothingHalfWritten(project, tmp, OUTPUT, outputHash);
    await rerunSucceeds();
  });

  it('stops a postgres.writer at the first Ctrl-C while the server is frozen mid-load, target untouched', async () => {
    const client = await admin();
    const count = async () => Number((await client.query('SELECT count(*) AS n FROM big_copy')).rows[0].n);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS big_copy (LIKE big)');
      await client.query('TRUNCATE big_copy');
      const before = await runIds(project);
      const run = startRun(project, tmp, ['pipelines/load.yaml']);
      for (;;) {
        const { rows } = await client.query(
          "SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY%big_copy%' AND pid <> pg_backend_pid()",
        );
        if (rows.length > 0) break;
        await sleep(20);
      }
      server.freeze();
      let result: Awaited<typeof run.exited>;
      try {
        run.interrupt();
        result = await run.exited;
      } finally {
        server.thaw();
      }
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(130);
      const status = await newRunStatus(project, before);
      expect(status.status).toBe('cancelled');
      expect(await count()).toBe(0);
      expect(await readdir(tmp)).toEqual([]);
      const rerun = await startRun(project, tmp, ['pipelines/load.yaml']).exited;
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await count()).toBe(ROWS);
    } finally {
      await client.query('DROP TABLE IF EXISTS big_copy').catch(() => undefined);
      await client.end();
    }
  });
});
