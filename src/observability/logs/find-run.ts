import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { RunIndexRow } from '../run-index.js';
import { runsDirOf } from './runs-paths.js';
import { sessionDirOf } from './session-dir.js';
import { withRunIndex } from './with-run-index.js';

export { sessionDirOf };

export interface RunSelector {
  runId?: string;
  last?: boolean;
}

export interface FoundRun {
  row: RunIndexRow;
  /** Absolute session folder, checked to lie inside the project's runs folder. */
  sessionDir: string;
}

/** The run named by id (or the most recent one with `last`), or E_RUN_NOT_FOUND with a way forward. */
export async function findRun(projectDir: string, selector: RunSelector): Promise<FoundRun> {
  if (selector.runId && selector.last) {
    throw new OsirisError(ErrorCodes.USAGE, 'Give either a run id or --last, not both.');
  }
  if (!selector.runId && !selector.last) {
    throw new OsirisError(ErrorCodes.USAGE, 'Which run? Give a run id or --last.', {
      hint: 'Run `osiris logs list` to see recent run ids.',
    });
  }
  const row = await withRunIndex(projectDir, (index) =>
    selector.runId ? index?.get(selector.runId) : index?.last(),
  );
  if (!row) {
    throw selector.runId
      ? new OsirisError(ErrorCodes.RUN_NOT_FOUND, `No run '${selector.runId}' in ${runsDirOf(projectDir)}.`, {
          hint: 'Run `osiris logs list` to see recent run ids, or `osiris logs show --last` for the newest.',
          details: { run_id: selector.runId },
        })
      : new OsirisError(ErrorCodes.RUN_NOT_FOUND, `No runs recorded yet in ${runsDirOf(projectDir)}.`, {
          hint: 'Run a pipeline first (`osiris run pipelines/x.yaml`, or `osiris demo`), then `osiris logs list`.',
        });
  }
  return { row, sessionDir: sessionDirOf(projectDir, row) };
}
