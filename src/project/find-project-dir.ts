import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONNECTIONS_FILE_NAME } from '../connections/find-connections-file.js';

export const PROJECT_FILE_NAME = 'osiris.yaml';

/**
 * The project folder: `$OSIRIS_HOME` when set, else the nearest folder from `cwd` upward that
 * holds `osiris_connections.yaml` or `osiris.yaml`, else `cwd` itself. Always absolute.
 */
export function findProjectDir(cwd: string, env: Record<string, string | undefined> = process.env): string {
  const start = path.resolve(cwd);
  if (env.OSIRIS_HOME) return path.resolve(start, env.OSIRIS_HOME);
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (
      existsSync(path.join(folder, CONNECTIONS_FILE_NAME)) ||
      existsSync(path.join(folder, PROJECT_FILE_NAME))
    ) {
      return folder;
    }
    if (path.dirname(folder) === folder) return start;
  }
}
