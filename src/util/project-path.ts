import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/**
 * Resolve a path from a pipeline's config against the project folder, refusing any path that
 * leads outside it (`../x`, or an absolute path elsewhere): pipelines are often written by an LLM
 * and must not read or replace files beyond the project. The check is lexical; a symlink the user
 * placed inside the project is theirs to follow.
 */
export function resolveProjectPath(projectDir: string, path: string, field = 'path'): string {
  if (path.includes('\0')) {
    throw new OsirisError(ErrorCodes.PATH_ESCAPE, `${field} contains a NUL character.`, {
      details: { field },
    });
  }
  const root = resolve(projectDir);
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
    throw new OsirisError(ErrorCodes.PATH_ESCAPE, `${field} "${path}" leads outside the project folder.`, {
      hint: `Use a path inside the project folder (${root}), e.g. "output/${basename(absolute) || 'file'}".`,
      details: { field, value: path, project_dir: root },
    });
  }
  return absolute;
}

/** A path inside the project as shown to users and written to events: relative, with `/`. */
export function projectRelativePath(projectDir: string, absolutePath: string): string {
  return relative(resolve(projectDir), absolutePath).split(sep).join('/');
}
