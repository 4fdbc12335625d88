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
  return nearestProjectDir(start) ?? start;
}

/**
 * The project a pipeline file belongs to: the nearest project folder upward from the file's own
 * folder, else `findProjectDir(cwd)`. So `osiris run ../other/pipelines/x.yaml` (or a build dir)
 * uses the other project's connections and writes its outputs there, whatever the cwd.
 */
export function findProjectDirFor(
  file: string,
  cwd: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return nearestProjectDir(path.dirname(path.resolve(cwd, file))) ?? findProjectDir(cwd, env);
}

function nearestProjectDir(start: string): string | undefined {
  for (let folder = start; ; folder = path.dirname(folder)) {
    if (
      existsSync(path.join(folder, CONNECTIONS_FILE_NAME)) ||
      existsSync(path.join(folder, PROJECT_FILE_NAME))
    ) {
      return folder;
    }
    if (path.dirname(folder) === folder) return undefined;
  }
}
