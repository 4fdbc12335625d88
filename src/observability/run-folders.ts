import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatusFile } from '../spec/events.js';

/**
 * The status.json of every run folder under `runsDir`, oldest first: what the run index is
 * rebuilt from when it is missing or damaged. Folders without a readable status are skipped.
 */
export function readRunStatuses(runsDir: string): RunStatusFile[] {
  let names: string[];
  try {
    names = readdirSync(runsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const statuses: RunStatusFile[] = [];
  for (const name of names.sort()) {
    try {
      const status = JSON.parse(readFileSync(join(runsDir, name, 'status.json'), 'utf8')) as RunStatusFile;
      if (typeof status?.run_id === 'string' && typeof status.started_at === 'string') statuses.push(status);
    } catch {
      // Not a run folder, or a run that never wrote its status: nothing to index.
    }
  }
  return statuses.sort((a, b) => a.started_at.localeCompare(b.started_at));
}

/** A SQLite error that means the file is not (or no longer) a usable database. */
export function isDamagedDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/** Whether `runsDir` holds at least one run folder with a status.json. */
export function hasRunFolders(runsDir: string): boolean {
  try {
    return readdirSync(runsDir, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && existsSync(join(runsDir, entry.name, 'status.json')),
    );
  } catch {
    return false;
  }
}
