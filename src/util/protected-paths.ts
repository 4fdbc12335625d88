import { basename, extname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * What is wrong with a file path from a step's config, judged without touching the disk:
 * - `outside`: it leads outside the project folder (`../x`, or an absolute path elsewhere);
 * - `protected`: a writer would replace one of the project's own files (connections, `.env`,
 *   run history, builds, pipelines);
 * - `absolute`: it is absolute but inside the project, so the pipeline only works in this folder.
 */
export type ConfigPathProblem =
  | { kind: 'outside'; reason: string }
  | { kind: 'protected'; reason: string; relative: string }
  | { kind: 'absolute' };

/** Top-level folders of a project that belong to Osiris (or git), never to a writer. */
const PROTECTED_FOLDERS: Readonly<Record<string, string>> = {
  '.osiris': "Osiris's run history and state (.osiris/)",
  build: 'compiled builds (build/)',
  '.git': 'the git repository (.git/)',
};

/** File names a writer may never replace, wherever they are. */
const PROTECTED_NAMES: Readonly<Record<string, string>> = {
  'osiris_connections.yaml': 'the connections file (osiris_connections.yaml)',
  'osiris.yaml': 'the project settings (osiris.yaml)',
  '.env': "the project's environment file (.env)",
};

/**
 * Check a config `path` lexically. `projectDir` resolves absolute paths (without it, an absolute
 * path is only reported as `absolute`); `write` adds the protected-file rule; `pipelineFile` (an
 * absolute path) is the pipeline being checked, which a writer may not replace either.
 */
export function checkConfigPath(
  path: string,
  options: { projectDir?: string; write: boolean; pipelineFile?: string },
): ConfigPathProblem | undefined {
  if (isAbsolute(path) && options.projectDir === undefined) return { kind: 'absolute' };
  // Without a project folder a relative path is judged against a stand-in root: `..` escapes any.
  const root = resolve(options.projectDir ?? '/osiris-project');
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
    return {
      kind: 'outside',
      reason: isAbsolute(path)
        ? 'is an absolute path outside the project folder'
        : 'leads outside the project folder',
    };
  }
  if (options.write) {
    const reason = protectedReason(fromRoot, absolute, options.pipelineFile);
    if (reason) return { kind: 'protected', reason, relative: fromRoot.split(sep).join('/') };
  }
  return isAbsolute(path) ? { kind: 'absolute' } : undefined;
}

function protectedReason(
  fromRoot: string,
  absolute: string,
  pipelineFile: string | undefined,
): string | undefined {
  if (fromRoot === '') return 'the project folder itself';
  // Case-insensitive file systems (macOS, Windows) would let `.ENV` replace `.env`.
  const segments = fromRoot.toLowerCase().split(sep);
  const folder = PROTECTED_FOLDERS[segments[0] ?? ''];
  if (folder) return folder;
  const name = basename(fromRoot).toLowerCase();
  const named = PROTECTED_NAMES[name];
  if (named) return named;
  if (name.startsWith('.env.')) return `an environment file (${basename(fromRoot)})`;
  const extension = extname(name);
  if (segments[0] === 'pipelines' && (extension === '.yaml' || extension === '.yml'))
    return 'a pipeline file';
  if (pipelineFile !== undefined && resolve(pipelineFile) === absolute) return 'this pipeline file';
  return undefined;
}
