import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';

/** How DuckDB (and Node) say a write found no room: ENOSPC in any wording. */
const NO_SPACE = /No space left on device|ENOSPC|disk is full|not enough (free )?(disk )?space/i;

export function isDiskFull(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return NO_SPACE.test(message) || (error as { code?: unknown } | null)?.code === 'ENOSPC';
}

/**
 * E_DISK_FULL for a data-plane failure that was the disk filling up, so no step dresses it up as a
 * problem with its query, table or column names; undefined for any other failure.
 */
export function diskFullError(error: unknown, directory: string): OsirisError | undefined {
  if (isOsirisError(error) || !isDiskFull(error)) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new OsirisError(
    ErrorCodes.DISK_FULL,
    `The run's data plane ran out of disk space in ${directory}: ${message}`,
    {
      hint:
        "Free space on that disk, or give the run's temporary folder a bigger disk (set TMPDIR before " +
        '`osiris run`). The data plane holds every step output of the run, spilled to disk when memory is short.',
      details: { directory },
      cause: error,
    },
  );
}
