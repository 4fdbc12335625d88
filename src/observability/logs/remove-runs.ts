import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunIndexRow } from '../run-index.js';
import { sessionDirOf } from './find-run.js';
import { withRunIndex } from './with-run-index.js';

/** Total size of a session folder (symbolic links counted as themselves, not followed). */
export async function sessionBytes(sessionDir: string): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(sessionDir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let total = 0;
  for (const entry of entries) total += (await lstat(join(sessionDir, entry))).size;
  return total;
}

export async function runsBytes(projectDir: string, rows: RunIndexRow[]): Promise<number> {
  let total = 0;
  for (const row of rows) total += await sessionBytes(sessionDirOf(projectDir, row));
  return total;
}

/**
 * Delete the session folders of `rows` and their index rows. Every folder is checked to lie inside
 * the runs folder before anything is deleted; a folder already gone is fine.
 */
export async function removeRuns(projectDir: string, rows: RunIndexRow[]): Promise<number> {
  const targets = rows.map((row) => ({ row, dir: sessionDirOf(projectDir, row) }));
  await withRunIndex(projectDir, async (index) => {
    for (const { row, dir } of targets) {
      await rm(dir, { recursive: true, force: true });
      // Row by row, so an interrupted gc leaves no index row pointing at a deleted folder.
      index?.delete([row.run_id]);
    }
  });
  return targets.length;
}

/** Every indexed run, newest first (SQLite reads LIMIT -1 as no limit). */
export async function allRuns(projectDir: string): Promise<RunIndexRow[]> {
  return withRunIndex(projectDir, (index) => index?.list({ limit: -1 }) ?? []);
}
