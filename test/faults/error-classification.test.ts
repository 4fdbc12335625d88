import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
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

/** Issue 19 item 12: faults that were reported with the wrong code, exit status or hint. */

/** A 1 MB tmpfs, or undefined where this process may not mount one (not root, no CAP_SYS_ADMIN). */
async function smallDisk(): Promise<string | undefined> {
  const folder = await mkdtemp(join(tmpdir(), 'osiris-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', folder], { stdio: 'ignore' });
    return folder;
  } catch {
    await rm(folder, { recursive: true, force: true });
    return undefined;
  }
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
      execFileSync('umount', [disk]);
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
