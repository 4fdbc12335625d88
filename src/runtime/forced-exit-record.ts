import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redactor } from '../observability/redaction.js';
import type { RunIndex } from '../observability/run-index.js';
import { ErrorCodes } from '../spec/errors.js';
import type { RunStatusFile } from '../spec/events.js';
import { RUN_TEMP_FOLDER_KINDS, runTempFolderPrefix } from '../util/run-temp-folder.js';
import { onForcedExit } from './forced-exit.js';

/**
 * On a forced exit, `status` (the run's live status object) is written as `cancelled` to its
 * session and the run index, and the run's temporary folders are removed: all synchronously, since
 * the process exits right after. Returns the function that unregisters it once the run has ended.
 */
export function recordRunOnForcedExit(run: {
  status: RunStatusFile;
  sessionDir: string;
  index: RunIndex;
  redactor: Redactor;
}): () => void {
  // Synchronous on purpose: the process exits right after this returns (see cancel-on-signal.ts).
  return onForcedExit(() => {
    const finishedAt = new Date();
    const cancelled: RunStatusFile = {
      ...run.status,
      status: 'cancelled',
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - Date.parse(run.status.started_at),
      steps: run.status.steps.map((step) =>
        step.status === 'running' || step.status === 'pending' ? { ...step, status: 'cancelled' } : step,
      ),
      error: {
        code: ErrorCodes.CANCELLED,
        message: 'The run was stopped at once by a second Ctrl-C; its steps did not finish.',
        hint: 'targets written by transactional writers are unchanged; run the pipeline again',
      },
    };
    const safe = run.redactor.value(cancelled) as RunStatusFile;
    writeFileSync(join(run.sessionDir, 'status.json'), `${JSON.stringify(safe, null, 2)}\n`, { mode: 0o600 });
    run.index.upsert(safe);
    removeTempFoldersNow(run.status.run_id);
  });
}

function removeTempFoldersNow(runId: string): void {
  const prefixes = RUN_TEMP_FOLDER_KINDS.map((kind) => runTempFolderPrefix(kind, runId));
  for (const name of readdirSync(tmpdir())) {
    if (prefixes.some((prefix) => name.startsWith(prefix))) {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}
