import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriverHarness, type DriverHarness } from '../../runtime/testing/driver-harness.js';
import { driver } from './csv-writer.driver.js';

let harness: DriverHarness;

beforeEach(async () => {
  harness = await createDriverHarness();
  await harness.dataPlane.run('CREATE TABLE df_rows AS SELECT 1 AS id');
});

afterEach(async () => {
  await harness.close();
});

describe("writeOutputFile refuses the project's own files (also for a build compiled before validate checked)", () => {
  it.each(['osiris_connections.yaml', '.env', '.osiris/runs/index.db', 'pipelines/p.yaml'])(
    '%s',
    async (path) => {
      const original = 'version: 1\n';
      await writeFile(join(harness.projectDir, 'osiris_connections.yaml'), original);
      await expect(
        harness.run(driver, { stepId: 'out', needs: ['rows'], config: { path } }),
      ).rejects.toMatchObject({ code: 'E_PATH_ESCAPE', message: expect.stringContaining('would replace') });
      expect(await readFile(join(harness.projectDir, 'osiris_connections.yaml'), 'utf8')).toBe(original);
    },
  );
});
