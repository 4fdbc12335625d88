import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export const CONNECTIONS_FILE_NAME = 'osiris_connections.yaml';

/**
 * Where `osiris_connections.yaml` is: `$OSIRIS_HOME` first, then `cwd`, then each parent
 * folder up to the filesystem root. Returns an absolute path, or undefined when there is none.
 */
export function findConnectionsFile(options: {
  cwd: string;
  env: Record<string, string | undefined>;
}): string | undefined {
  const cwd = path.resolve(options.cwd);
  const home = options.env.OSIRIS_HOME;
  if (home) {
    const candidate = path.join(path.resolve(cwd, home), CONNECTIONS_FILE_NAME);
    if (isFile(candidate)) return candidate;
  }
  for (let folder = cwd; ; folder = path.dirname(folder)) {
    const candidate = path.join(folder, CONNECTIONS_FILE_NAME);
    if (isFile(candidate)) return candidate;
    if (path.dirname(folder) === folder) return undefined;
  }
}

function isFile(candidate: string): boolean {
  return existsSync(candidate) && statSync(candidate).isFile();
}
