import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driver as mysqlExtractor } from '../../src/components/mysql/extractor.driver.js';
import {
  createScratchDatabase,
  mysqlConnection,
  openMysql,
} from '../../src/components/mysql/mysql-test-support.js';
import { createDataPlane } from '../../src/runtime/data-plane/index.js';
import { createTestStepContext } from '../../src/runtime/testing/step-context.js';
import { isOsirisError } from '../../src/spec/errors.js';
import { describeIfServers, requireTestServer } from '../setup/test-servers.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { mountSmallDisk, unmountSmallDisk } from '../support/small-disk.js';

/** Issue 19 item 12: faults that were reported with the wrong code, exit status or hint. */

/** A 1 MB tmpfs, or undefined where this process may not mount one (not root, no CAP_SYS_ADMIN). */
async function smallDisk(): Promise<string | undefined> {
  const folder = await mkdtemp(join(tmpdir(), 'osiris-full-disk-'));
  if (mountSmallDisk(folder)) return folder;
  await rm(folder, { recursive: true, force: true });
  return undefined;
}

describeIfServers('mysql', 'a full disk under the data plane', () => {
  let disk: string | undefined;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;

  beforeAll(async () => {
    disk = await smallDisk();
    scratch = await createScratchDatabase(requireTestServer('mysql'));
    const admin = await openMysql(scratch.facts);
    await admin.query(
      "CREATE TABLE wide AS SELECT seq AS id, REPEAT('x', 200) AS payload FROM seq_1_to_50000",
    );
    await admin.end();
  });

  afterAll(async () => {
    if (disk) {
      unmountSmallDisk(disk);
      await rm(disk, { recursive: true, force: true });
    }
    await scratch?.drop();
  });

  it('is E_DISK_FULL with a disk hint, not a hint about table and column names', async (context) => {
    if (!disk) context.skip();
    const dataPlane = await createDataPlane({ directory: join(disk!, 'run'), threads: 1 });
    try {
      const ctx = createTestStepContext({
        projectDir: disk!,
        stepId: 'extract',
        dataPlane,
        connection: mysqlConnection(scratch.facts),
      });
      const failure = await mysqlExtractor
        .run({ stepId: 'extract', config: { connection: '@mysql.test', table: 'wide' }, inputs: [], ctx })
        .catch((error: unknown) => error);
      expect(isOsirisError(failure) && failure.code).toBe('E_DISK_FULL');
      expect(isOsirisError(failure) && failure.message).toMatch(/ran out of disk space in .*No space left/);
      expect(isOsirisError(failure) && failure.hint).toMatch(/Free space on that disk.*TMPDIR/);
      expect(isOsirisError(failure) && failure.hint).not.toMatch(/column names/);
    } finally {
      await dataPlane.close().catch(() => undefined);
    }
  });
});

describe('an alias bomb in osiris_connections.yaml', () => {
  it('is a coded input error (exit 2), not an internal error', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefgh') {
      const previous = levels.length === 1 ? 'a' : String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const project = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  mysql:
    bomb:
      host: localhost
${levels.map((line) => `      ${line}`).join('\n')}
`,
    });
    try {
      for (const args of [
        ['connections', 'list'],
        ['connections', 'doctor'],
      ]) {
        const result = await runCli(args, { cwd: project, env: { OSIRIS_HOME: undefined } });
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toContain('E_CONNECTIONS_INVALID');
        expect(result.stderr).toMatch(/@mysql\.bomb: YAML aliases expand too often/);
        expect(result.stderr).not.toMatch(/internal error|a bug/);
      }
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});

describe('a writer path through a symbolic link out of the project', () => {
  it('is E_PATH_ESCAPE naming the link, and nothing is written outside', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'osiris-outside-'));
    const project = await makeProject({
      'osiris_connections.yaml': 'version: 1\nconnections: {}\n',
      'data/in.csv': 'id,name\n1,a\n2,b\n',
      'pipelines/escape.yaml': `oml_version: "0.1.0"
name: escape
steps:
  - id: read
    component: filesystem.csv_extractor
    mode: read
    config:
      path: data/in.csv
  - id: write
    component: filesystem.csv_writer
    mode: write
    needs: [read]
    config:
      path: out/escaped.csv
`,
    });
    try {
      await symlink(outside, join(project, 'out'));
      const result = await runCli(['run', 'pipelines/escape.yaml'], { cwd: project });
      expect(result.code).toBe(3);
      expect(result.stdout).toContain("E_PATH_ESCAPE in step 'write'");
      expect(result.stdout).toMatch(
        /"out\/escaped\.csv" leads outside the project folder through a symbolic link/,
      );
      expect(result.stdout).not.toMatch(/Permission Error|disabled by configuration/);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(project, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describeIfServers('mysql', 'a MySQL connection given as a dsn', () => {
  it('connects (doctor and a run), with the password masked everywhere', async () => {
    const facts = requireTestServer('mysql');
    const project = await makeProject({
      'osiris_connections.yaml': `version: 1
connections:
  mysql:
    movies:
      dsn: mysql://${facts.user}:\${MYSQL_PASSWORD}@${facts.host}:${facts.port}/${facts.database}
`,
      'pipelines/copy.yaml': `oml_version: "0.1.0"
name: copy-directors
steps:
  - id: extract
    component: mysql.extractor
    mode: read
    config:
      connection: "@mysql.movies"
      query: SELECT 1 AS id, 'one' AS name
  - id: write
    component: filesystem.csv_writer
    mode: write
    needs: [extract]
    config:
      path: output/one.csv
`,
    });
    const env = { MYSQL_PASSWORD: facts.password, OSIRIS_HOME: undefined };
    try {
      const list = await runCli(['connections', 'list'], { cwd: project, env });
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/mysql\s+movies\s+dsn=\*\*\*/);
      const doctor = await runCli(['connections', 'doctor', '@mysql.movies'], { cwd: project, env });
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).not.toMatch(/needs a host and a user/);
      const run = await runCli(['run', 'pipelines/copy.yaml'], { cwd: project, env });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await readFile(join(project, 'output', 'one.csv'), 'utf8')).toBe('id,name\n1,one\n');
      for (const output of [list, doctor, run]) {
        expect(output.stdout + output.stderr).not.toContain(facts.password);
      }
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});
