import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isOsirisError } from '../../spec/errors.js';
import { createDataPlane, type RunDataPlane } from './create-data-plane.js';
import { DEFAULT_MAX_ROW_BYTES, defaultMemoryLimit, resolveDataPlaneLimits } from './data-plane-limits.js';

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
  expect(limits.maxRowBytes).toBe(DEFAULT_MAX_ROW_BYTES);
  expect(limits.source).toEqual({ memory_limit: 'default', threads: 'default', max_row_size: 'default' });
});

it('takes max_row_size from osiris.yaml or OSIRIS_MAX_ROW_SIZE, and refuses a size it cannot use', async () => {
  await writeFile(join(project, 'osiris.yaml'), 'data_plane:\n  max_row_size: 16MiB\n');
  expect(resolveDataPlaneLimits({ projectDir: project, env: {} })).toMatchObject({
    maxRowBytes: 16 * 1024 * 1024,
    source: { max_row_size: 'osiris.yaml' },
  });
  expect(resolveDataPlaneLimits({ projectDir: project, env: { OSIRIS_MAX_ROW_SIZE: '2MB' } })).toMatchObject({
    maxRowBytes: 2_000_000,
    source: { max_row_size: 'OSIRIS_MAX_ROW_SIZE' },
  });
  for (const bad of ['12', '1KB', '2GiB']) {
    expect(() => resolveDataPlaneLimits({ projectDir: project, env: { OSIRIS_MAX_ROW_SIZE: bad } })).toThrow(
      /OSIRIS_MAX_ROW_SIZE/,
    );
  }
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
    expect(settings.max_row_size).toBe(String(DEFAULT_MAX_ROW_BYTES));
    expect(dataPlane.maxRowBytes).toBe(DEFAULT_MAX_ROW_BYTES);
  } finally {
    await dataPlane?.close();
  }
});
