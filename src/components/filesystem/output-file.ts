import { stat } from 'node:fs/promises';
import { messageOf, throwIfCancelled } from '../../runtime/data-plane/step-connection.js';
import type { ColumnInfo, DataPlane, StepContext, StepInput } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { produceFileAtomic, removeStaleTempFiles } from '../../util/atomic-file.js';
import { projectRelativePath, resolveProjectPath } from '../../util/project-path.js';
import { checkConfigPath } from '../../util/protected-paths.js';

/** The data-plane table a file writer reads: writers take exactly one input. */
export function singleInputTable(inputs: StepInput[], component: string): string {
  const [only] = inputs;
  if (!only || inputs.length > 1) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component} writes exactly one input, but this step has ${inputs.length}.`,
      {
        hint: 'Set `needs: [<step id>]` to the one step whose rows go to the file; join several with duckdb.processor first.',
      },
    );
  }
  return only.table;
}

/** The input's columns, or the configured subset in the configured order. */
export async function selectedColumns(
  dataPlane: DataPlane,
  table: string,
  requested: unknown,
  component: string,
): Promise<ColumnInfo[]> {
  const available = await dataPlane.columns(table);
  if (!Array.isArray(requested)) return available;
  return requested.map((name) => {
    const found =
      available.find((column) => column.name === name) ??
      available.find((column) => column.name.toLowerCase() === String(name).toLowerCase());
    if (!found) {
      throw new OsirisError(ErrorCodes.USAGE, `${component}: column "${String(name)}" is not in the input.`, {
        hint: `Input columns: ${available.map((column) => column.name).join(', ')}.`,
        details: { column: String(name) },
      });
    }
    return found;
  });
}

/**
 * Writes the file at `configuredPath` (inside the project) through `produce(tempPath)`, which
 * returns the rows written. The file appears only complete: it is produced under a temp name in
 * the same folder and renamed on success; on failure or abort the temp file is removed and an
 * existing file keeps its old content. Reports `bytes_written` and an `output_written` event.
 */
export async function writeOutputFile(
  ctx: StepContext,
  configuredPath: string,
  produce: (tempPath: string) => Promise<number>,
): Promise<number> {
  const target = resolveProjectPath(ctx.projectDir, configuredPath, 'path');
  refuseProjectFile(ctx.projectDir, configuredPath);
  const shownPath = projectRelativePath(ctx.projectDir, target);
  throwIfCancelled(ctx.signal);
  await removeLeftovers(ctx, target);
  let written: { rows: number; bytes: number };
  try {
    written = await produceFileAtomic(target, async (tempPath) => {
      const rows = await produce(tempPath);
      // An abort that lands after the last byte still leaves no file behind.
      throwIfCancelled(ctx.signal);
      // on_failure: rollback_all: the finished temp file is renamed into place only once every
      // writer of the run is ready; if another step failed, it is removed instead.
      await ctx.commitTogether?.ready();
      return { rows, bytes: (await stat(tempPath)).size };
    });
  } catch (error) {
    if (isOsirisError(error)) throw error;
    throw new OsirisError(ErrorCodes.WRITE_FAILED, `Writing ${shownPath} failed: ${messageOf(error)}`, {
      details: { path: shownPath },
      cause: error,
    });
  }
  ctx.metric('bytes_written', written.bytes, { unit: 'bytes' });
  ctx.log.event('output_written', { path: shownPath, bytes: written.bytes, rows: written.rows });
  return written.rows;
}

/**
 * A run killed while writing this file left its hidden temp file (`.<name>.tmp-…`, possibly
 * large) next to it: removed now, and said so. One whose owner may still be writing is kept.
 */
async function removeLeftovers(ctx: StepContext, target: string): Promise<void> {
  const stale = await removeStaleTempFiles(target);
  for (const path of stale.removed)
    ctx.log.event('stale_temp_removed', { path: projectRelativePath(ctx.projectDir, path) });
  for (const path of stale.kept)
    ctx.log.warn('a temp file of another write to this output is present; left in place', {
      path: projectRelativePath(ctx.projectDir, path),
    });
}

/**
 * Validation refuses a writer onto the project's own files (OML067); a build compiled before that
 * check, or edited by hand, meets the same rule here, before any byte is written.
 */
function refuseProjectFile(projectDir: string, configuredPath: string): void {
  const problem = checkConfigPath(configuredPath, { projectDir, write: true });
  if (problem?.kind !== 'protected') return;
  throw new OsirisError(ErrorCodes.PATH_ESCAPE, `path "${configuredPath}" would replace ${problem.reason}.`, {
    hint: 'Write outputs to a folder of their own, e.g. "output/result.csv".',
    details: { field: 'path', value: configuredPath },
  });
}
