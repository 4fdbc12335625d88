import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/**
 * Resolve a path from a pipeline's config against the project folder, refusing any path that
 * leads outside it (`../x`, or an absolute path elsewhere): pipelines are often written by an LLM
 * and must not read or replace files beyond the project. A symbolic link inside the project that
 * points outside it is an escape too (the run's DuckDB, confined to the project, would refuse the
 * file anyway, with a message that names neither the link nor the rule): the real path of the
 * nearest existing folder on the way decides.
 */
export function resolveProjectPath(projectDir: string, path: string, field = 'path'): string {
  if (path.includes('\0')) {
    throw new OsirisError(ErrorCodes.PATH_ESCAPE, `${field} contains a NUL character.`, {
      details: { field },
    });
  }
  const root = resolve(projectDir);
  const absolute = resolve(root, path);
  const hint = `Use a path inside the project folder (${root}), e.g. "output/${basename(absolute) || 'file'}".`;
  if (isOutside(root, absolute)) {
    throw new OsirisError(ErrorCodes.PATH_ESCAPE, `${field} "${path}" leads outside the project folder.`, {
      hint,
      details: { field, value: path, project_dir: root },
    });
  }
  const realTarget = physicalPath(absolute);
  if (isOutside(physicalPath(root), realTarget)) {
    throw new OsirisError(
      ErrorCodes.PATH_ESCAPE,
      `${field} "${path}" leads outside the project folder through a symbolic link (to ${realTarget}).`,
      {
        hint: `${hint} A link inside the project may only point to somewhere inside it.`,
        details: { field, value: path, project_dir: root, real_path: realTarget },
      },
    );
  }
  return absolute;
}

function isOutside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot);
}

/** `path` with every symbolic link resolved, as far as it exists; the missing rest is appended as written. */
function physicalPath(path: string): string {
  let existing = path;
  for (;;) {
    try {
      const real = realpathSync.native(existing);
      return existing === path ? real : join(real, relative(existing, path));
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      existing = parent;
    }
  }
}

/** A path inside the project as shown to users and written to events: relative, with `/`. */
export function projectRelativePath(projectDir: string, absolutePath: string): string {
  return relative(resolve(projectDir), absolutePath).split(sep).join('/');
}
