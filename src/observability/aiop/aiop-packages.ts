import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { withRunIndex } from '../logs/with-run-index.js';
import { aiopDirOf } from './aiop-paths.js';
import type { AiopCore } from './aiop-types.js';
import { CORE_FILE } from './export-aiop.js';

export interface AiopPackageEntry {
  run_id: string;
  pipeline: string;
  status: string;
  started_at: string;
  /** Bytes of the whole package folder (core, run card and annex). */
  bytes: number;
  core_bytes: number;
  truncated: boolean;
  /** The run's session still exists in the run index. */
  run_exists: boolean;
  dir: string;
}

/** The packages written so far, newest run first. */
export async function listAiopPackages(projectDir: string): Promise<AiopPackageEntry[]> {
  const root = aiopDirOf(projectDir);
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('run_'))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const known = await withRunIndex(projectDir, (index) => new Set(names.filter((name) => index?.get(name))));
  const entries: AiopPackageEntry[] = [];
  for (const name of names) {
    const dir = join(root, name);
    const core = await readCore(join(dir, CORE_FILE));
    entries.push({
      run_id: name,
      pipeline: core?.run?.pipeline ?? '?',
      status: core?.run?.status ?? '?',
      started_at: core?.run?.started_at ?? '',
      bytes: await folderBytes(dir),
      core_bytes: await fileBytes(join(dir, CORE_FILE)),
      truncated: (core?.truncated?.length ?? 0) > 0,
      run_exists: known.has(name),
      dir,
    });
  }
  return entries.sort(
    (left, right) =>
      right.started_at.localeCompare(left.started_at) || right.run_id.localeCompare(left.run_id),
  );
}

export interface PruneAiopOptions {
  /** Keep the packages of the n most recent runs; older ones go. */
  keep?: number;
  dryRun?: boolean;
}

/**
 * Remove packages whose run session is gone (deleted by `osiris logs gc`) and, with `keep`, all
 * but the newest n. Packages are derived files: `osiris logs aiop RUN` writes one again.
 */
export async function pruneAiopPackages(
  projectDir: string,
  options: PruneAiopOptions = {},
): Promise<{ removed: AiopPackageEntry[]; kept: number; bytes: number }> {
  const entries = await listAiopPackages(projectDir);
  const removed = entries.filter(
    (entry, position) => !entry.run_exists || (options.keep !== undefined && position >= options.keep),
  );
  if (!options.dryRun) for (const entry of removed) await rm(entry.dir, { recursive: true, force: true });
  return {
    removed,
    kept: entries.length - removed.length,
    bytes: removed.reduce((sum, entry) => sum + entry.bytes, 0),
  };
}

async function readCore(path: string): Promise<Partial<AiopCore> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<AiopCore>;
  } catch {
    return undefined;
  }
}

async function fileBytes(path: string): Promise<number> {
  try {
    return (await lstat(path)).size;
  } catch {
    return 0;
  }
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true })) total += await fileBytes(join(dir, entry));
  return total;
}
