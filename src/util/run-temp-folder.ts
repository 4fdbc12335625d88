/**
 * Name prefix of a run's temporary folder in the system temp folder: `osiris-run-<run_id>-` (the
 * local adapter's data plane) or `osiris-worker-<run_id>-` (the subprocess worker's). The run id in
 * the name lets a later command remove the folder of a run whose process was killed.
 */
export function runTempFolderPrefix(kind: 'run' | 'worker', runId: string): string {
  return `osiris-${kind}-${runId}-`;
}

export const RUN_TEMP_FOLDER_KINDS = ['run', 'worker'] as const;
