import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeProject } from '../support/project.js';
import { expectNothingHalfWritten, newRunStatus, privateTmp, runIds, sha256, startRun } from './fault-run.js';
import { type PrivateServer, privateServersAvailable, startPrivateMariaDb } from './private-servers.js';

const ROWS = 250_000;
const OUTPUT = 'out/big.csv';

/**
 * Issue 19 items 1 and 2 against a private MariaDB (never the shared test servers): the
 * connection of a large MySQL → CSV extract dies (server killed, session killed) or the server
 * freezes (SIGSTOP) while rows are in flight. Each run must end non-zero, recorded as failed or
 * cancelled, with the old output untouched and no temp folder left; a rerun then succeeds.
 */
const describeIfMariaDb =
  privateServersAvailable().mysql || process.env.CI === 'true' ? describe : describe.skip;

describeIfMariaDb('MySQL extract when its connection dies or its server freezes', () => {
  let server: PrivateServer;
  let project = '';
  let tmp = '';
  const tmps: string[] = [];
  let outputHash = '';

  const pipeline = (name: string, connection: string) => `oml_version: "0.1.0"
name: ${name}
steps:
  - id: read-big
    component: mysql.extractor
    mode: read
    config:
      connection: "${connection}"
      table: big
  - id: write-big
    component: filesystem.csv_writer
    mode: write
    needs: [read-big]
    config:
      path: ${OUTPUT}
`;

  /** The extract's session, once its SELECT is running on the server. */
  const extractSession = async (): Promise<number> => {
    const admin = await mysql.createConnection({ ...server.facts });
    try {
      for (;;) {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT%big%' AND ID <> CONNECTION_ID()",
        );
        if (rows.length > 0) return Number(rows[0]!.ID);
        await sleep(20);
      }
    } finally {
      admin.destroy();
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
    server = await startPrivateMariaDb();
    const admin = await mysql.createConnection({ ...server.facts });
    try {
      await admin.query(
        'CREATE TABLE big (id INT PRIMARY KEY, name VARCHAR(40), amount DECIMAL(12,2)) ' +
          `SELECT seq AS id, CONCAT('name-', seq) AS name, seq / 100 AS amount FROM seq_1_to_${ROWS}`,
      );
    } finally {
      await admin.end();
    }
    const connection = (readTimeout?: number) =>
      `      host: 127.0.0.1
      port: ${server.facts.port}
      user: ${server.facts.user}
      password: \${FAULTS_MYSQL_PASSWORD}
      database: ${server.facts.database}
${readTimeout === undefined ? '' : `      read_timeout: ${readTimeout}\n`}`;
    project = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  mysql:
    faults:
      default: true
${connection()}    impatient:
${connection(2)}`,
      '.env': `FAULTS_MYSQL_PASSWORD=${server.facts.password}\n`,
      'pipelines/copy.yaml': pipeline('copy-big', '@mysql.faults'),
      'pipelines/impatient.yaml': pipeline('copy-big-impatient', '@mysql.impatient'),
      'pipelines/load.yaml': `oml_version: "0.1.0"
name: load-big
steps:
  - id: read-csv
    component: filesystem.csv_extractor
    mode: read
    config:
      path: ${OUTPUT}
  - id: load-big
    component: mysql.writer
    mode: write
    needs: [read-csv]
    config:
      connection: "@mysql.impatient"
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

  for (const adapter of ['local', 'subprocess'] as const) {
    it(`fails the run when the server is killed mid-extract (${adapter} adapter)`, async () => {
      const before = await runIds(project);
      const run = startRun(project, tmp, ['pipelines/copy.yaml', '--adapter', adapter]);
      await extractSession();
      await server.kill();
      const { code, stdout, stderr } = await run.exited;
      expect(code, `${stdout}\n${stderr}`).toBe(3);
      const status = await newRunStatus(project, before);
      expect(status.status).toBe('failed');
      expect(status.error?.code).toBe('E_CONNECTION_LOST');
      // The writer streams the extract's rows (plan.streams). Killed before the first row, the
      // extract leaves it skipped, as without streaming; killed later, the writer was already
      // reading and stops with it, naming it. Either way it writes nothing (checked below).
      const [extractStatus, writer] = status.steps;
      expect(extractStatus?.status).toBe('failed');
      if (writer?.status === 'cancelled') expect(writer.error?.message).toContain('step read-big');
      else expect(writer?.status).toBe('skipped');
      await expectNothingHalfWritten(project, tmp, OUTPUT, outputHash);
      await server.restart();
      await rerunSucceeds();
    });
  }

  it('fails the run when the extract session is killed (KILL CONNECTION)', async () => {
    const before = await runIds(project);
    const run = startRun(project, tmp, ['pipelines/copy.yaml']);
    const session = await extractSession();
    const admin = await mysql.createConnection({ ...server.facts });
    await admin.query(`KILL CONNECTION ${session}`);
    await admin.end();
    const { code, stdout, stderr } = await run.exited;
    expect(code, `${stdout}\n${stderr}`).toBe(3);
    const status = await newRunStatus(project, before);
    expect(status.status).toBe('failed');
    expect(status.error?.code).toBe('E_CONNECTION_LOST');
    await expectNothingHalfWritten(project, tmp, OUTPUT, outputHash);
    await rerunSucceeds();
  });

  it('fails the run with E_TIMEOUT when the server freezes past read_timeout', async () => {
    const before = await runIds(project);
    const run = startRun(project, tmp, ['pipelines/impatient.yaml']);
    await extractSession();
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

  it('fails the mysql.writer step with E_TIMEOUT when the server freezes mid-load, target untouched', async () => {
    const admin = await mysql.createConnection({ ...server.facts });
    const count = async () => {
      const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM big_copy');
      return Number(rows[0]!.n);
    };
    try {
      await admin.query('CREATE TABLE IF NOT EXISTS big_copy LIKE big');
      await admin.query('TRUNCATE TABLE big_copy');
      const before = await runIds(project);
      const run = startRun(project, tmp, ['pipelines/load.yaml']);
      for (;;) {
        const [rows] = await admin.query<mysql.RowDataPacket[]>(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO%big_copy%' AND ID <> CONNECTION_ID()",
        );
        if (rows.length > 0) break;
        await sleep(20);
      }
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
      expect(status.error).toMatchObject({ code: 'E_TIMEOUT', step_id: 'load-big' });
      expect(await count()).toBe(0);
      expect(await readdir(tmp)).toEqual([]);
      const rerun = await startRun(project, tmp, ['pipelines/load.yaml']).exited;
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await count()).toBe(ROWS);
    } finally {
      await admin.query('DROP TABLE IF EXISTS big_copy').catch(() => undefined);
      admin.destroy();
    }
  });

  for (const adapter of ['local', 'subprocess'] as const) {
    it(`stops at the first Ctrl-C while the server is frozen: exit 130, run cancelled (${adapter} adapter)`, async () => {
      const before = await runIds(project);
      const run = startRun(project, tmp, ['pipelines/copy.yaml', '--adapter', adapter]);
      await extractSession();
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
  }
});
