import { join } from 'node:path';

/** Where a project keeps its run sessions; the runner writes to the same place. */
export function runsDirOf(projectDir: string): string {
  return join(projectDir, '.osiris', 'runs');
}

export function runIndexPathOf(projectDir: string): string {
  return join(runsDirOf(projectDir), 'index.db');
}

/** Default output folder of `osiris logs html`. */
export function reportsDirOf(projectDir: string): string {
  return join(projectDir, '.osiris', 'reports');
}
