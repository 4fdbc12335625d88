import { isAbsolute, relative, sep } from 'node:path';

/** A path as results show it: relative to the project when inside it, else as it is. */
export function relativeToProject(projectDir: string, path: string): string {
  const inside = relative(projectDir, path);
  if (inside === '') return '.';
  if (inside.startsWith('..') || isAbsolute(inside)) return path;
  return inside.split(sep).join('/');
}
