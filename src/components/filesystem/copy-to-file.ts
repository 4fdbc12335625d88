import { dirname } from 'node:path';
import { quotedString } from '@duckdb/node-api';
import { isDiskFull } from '../../runtime/data-plane/disk-full.js';
import { messageOf, runInterruptible, withStepConnection } from '../../runtime/data-plane/step-connection.js';
import type { StepContext } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';

/**
 * `COPY (<select>) TO '<path>' (<options>)` on the step's own connection: DuckDB streams the rows
 * to the file itself, none pass through JS, and an abort interrupts it. Returns the rows written.
 */
export async function copyToFile(
  ctx: StepContext,
  select: string,
  path: string,
  options: string,
): Promise<number> {
  return withStepConnection(ctx.dataPlane, async (connection) => {
    try {
      const result = await runInterruptible(
        connection,
        `COPY (${select}) TO ${quotedString(path)} (${options})`,
        ctx.signal,
      );
      const rows = Number(result.rowsChanged);
      ctx.progress(rows);
      return rows;
    } catch (error) {
      if (isOsirisError(error)) throw error;
      // The output's own disk, not the data plane's: the fix is space there, or another `path`.
      if (isDiskFull(error))
        throw new OsirisError(
          ErrorCodes.DISK_FULL,
          `The disk that holds ${dirname(path)} ran out of space while writing the output: ${messageOf(error)}`,
          {
            hint: 'Free space on that disk, or write the output to a folder on another disk (`path`).',
            cause: error,
          },
        );
      throw new OsirisError(ErrorCodes.WRITE_FAILED, messageOf(error), { cause: error });
    }
  });
}
