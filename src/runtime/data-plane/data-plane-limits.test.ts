import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isOsirisError } from '../../spec/errors.js';
import { createDataPlane, type RunDataPlane } from './create-data-plane.js';
import { defaultMemoryLimit, resolveDataPlaneLimits } from './data-plane-limits.js';

let project = '';
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'osiris-limits-'));
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

it('bounds DuckDB by default, and says so', () => {
  const limits = resolveDataPlaneLimits({ projectDir: project, env: {} });
  expect(limits.memoryLimit).toBe(defaultMemoryLimit(limits.threads));
  expect(limits.source).toEqual({ memory_limit: 'default', threads: 'default' });
});

it('takes data_plane from osiris.yaml, and the environment over it', async () => {
  await writeFile(join(project, 'osiris.yaml'), 'data_plane:\n  memory_limit: 1GB\n  threads: 3\n');
  expect(resolveDataPlaneLimits({ projectDir: project, env: {} })).toMatchObject({
    memoryLimit: '1GB',
    threads: 3,
    source: { memory_limit: 'osiris.yaml', threads: 'osiris.yaml' },
  });
  expect(
    resolveDataPlaneLimits({
      projectDir: project,
      env: { OSIRIS_MEMORY_LIMIT: '2 GB', OSIRIS_THREADS: '1' },
    }),
  ).toMatchObject({
    memoryLimit: '2GB',
    threads: 1,
    source: { memory_limit: 'OSIRIS_MEMORY_LIMIT', threads: 'OSIRIS_THREADS' },
  });
});

it('refuses a memory size without a unit, naming where it came from', () => {
  let error: unknown;
  try {
    resolveDataPlaneLimits({ projectDir: project, env: { OSIRIS_MEMORY_LIMIT: '512' } });
  } catch (caught) {
    error = caught;
  }
  expect(isOsirisError(error) && error.code).toBe('E_USAGE');
  expect((error as Error).message).toContain('OSIRIS_MEMORY_LIMIT');
});

it("applies the limits to the run's DuckDB and reports them", async () => {
  await writeFile(join(project, 'osiris.yaml'), 'data_plane:\n  memory_limit: 300MB\n  threads: 1\n');
  let dataPlane: RunDataPlane | undefined;
  try {
    dataPlane = await createDataPlane({ directory: join(project, 'run'), baseDirectory: project });
    const settings = await dataPlane.settings();
    expect(settings.threads).toBe('1');
    expect(settings.memory_limit).toMatch(/^(286\.1 MiB|300\.0 MB)$/);
    expect(settings.memory_limit_source).toBe('osiris.yaml');
  } finally {
    await dataPlane?.close();
  }
});
