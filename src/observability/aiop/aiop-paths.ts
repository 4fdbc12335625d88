import { join } from 'node:path';

/** Where a project keeps its AI Operation Packages: one folder per run. */
export function aiopDirOf(projectDir: string): string {
  return join(projectDir, '.osiris', 'aiop');
}
