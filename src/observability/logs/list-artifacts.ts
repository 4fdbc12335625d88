import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ArtifactDetails } from './run-details.js';

/**
 * Files under `<session>/artifacts/<step_id>/`, keyed by step id, with sizes. Symbolic links are
 * not followed: a session lists only what it holds.
 */
export async function listArtifacts(sessionDir: string): Promise<Map<string, ArtifactDetails[]>> {
  const root = join(sessionDir, 'artifacts');
  const byStep = new Map<string, ArtifactDetails[]>();
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return byStep;
    throw error;
  }
  for (const entry of entries.sort()) {
    const info = await lstat(join(root, entry));
    if (!info.isFile()) continue;
    const [stepId] = entry.split(sep);
    if (!stepId || stepId === entry) continue;
    const list = byStep.get(stepId) ?? [];
    list.push({ path: relative(sessionDir, join(root, entry)).split(sep).join('/'), bytes: info.size });
    byStep.set(stepId, list);
  }
  return byStep;
}
