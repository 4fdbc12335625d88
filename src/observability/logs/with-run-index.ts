import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { hasRunFolders } from '../run-folders.js';
import { RunIndex } from '../run-index.js';
import { markCrashedRuns } from './crashed-runs.js';
import { runIndexPathOf } from './runs-paths.js';

/**
 * Open the project's run index for the duration of `use`. With `create: false` a project that has
 * never run anything gets `undefined` instead of a fresh empty database file: reading logs writes nothing.
 * Before `use` sees the index, runs whose process has died are marked `crashed` (see markCrashedRuns),
 * so no listing, report or cleanup shows a dead run as running.
 */
export async function withRunIndex<T>(
  projectDir: string,
  use: (index: RunIndex | undefined) => T | Promise<T>,
  options: { create?: boolean } = {},
): Promise<T> {
  const path = runIndexPathOf(projectDir);
  // A missing index with run folders beside it is rebuilt from them (RunIndex.open).
  if (!options.create && !existsSync(path) && !hasRunFolders(dirname(path))) return use(undefined);
  const index = await RunIndex.open(path);
  try {
    await markCrashedRuns(projectDir, index);
    return await use(index);
  } finally {
    index.close();
  }
}
