import { relative, resolve, sep } from 'node:path';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { RunIndexRow } from '../run-index.js';
import { runsDirOf } from './runs-paths.js';

/**
 * The index stores session folders relative to the project. A row pointing outside the runs
 * folder (a hand-edited or foreign index) is refused: gc deletes these folders.
 */
export function sessionDirOf(projectDir: string, row: Pick<RunIndexRow, 'run_id' | 'session_dir'>): string {
  const runsDir = resolve(runsDirOf(projectDir));
  const dir = resolve(projectDir, row.session_dir);
  const inside = relative(runsDir, dir);
  if (
    inside === '' ||
    inside.startsWith('..') ||
    inside.startsWith(sep) ||
    resolve(runsDir, inside) !== dir
  ) {
    throw new OsirisError(
      ErrorCodes.PATH_ESCAPE,
      `The run index points run '${row.run_id}' at ${dir}, outside ${runsDir}.`,
      { hint: 'The index looks edited or copied from another project; remove that row or the index file.' },
    );
  }
  return dir;
}
