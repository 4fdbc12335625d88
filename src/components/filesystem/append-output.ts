import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { quotedIdentifier } from '@duckdb/node-api';
import { messageOf, throwIfCancelled } from '../../runtime/data-plane/step-connection.js';
import type { StepContext } from '../../spec/driver.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';
import { projectRelativePath, resolveProjectPath } from '../../util/project-path.js';
import { copyToFile } from './copy-to-file.js';

/** `replace` (default) rewrites `path`; `append` adds a new file per run next to earlier ones. */
export interface FileWriteMode {
  mode: 'replace' | 'append';
  /** Columns whose values name Hive-style folders (`country=DE/`); empty when not partitioned. */
  partitionBy: string[];
}

const RUN_ID = '{run_id}';

export function fileWriteMode(config: Record<string, unknown>, component: string): FileWriteMode {
  const mode = config.write_mode === 'append' ? 'append' : 'replace';
  const partitionBy = Array.isArray(config.partition_by) ? config.partition_by.map(String) : [];
  const path = String(config.path);
  if (mode === 'append' && partitionBy.length === 0 && !path.includes(RUN_ID)) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component}: write_mode append needs a new file name per run, but path "${path}" has no ${RUN_ID}`,
      {
        hint: `Put ${RUN_ID} in the file name, e.g. "output/orders/${RUN_ID}.parquet", or set partition_by to write Hive-style folders.`,
        details: { path },
      },
    );
  }
  return { mode, partitionBy };
}

/** `path` with `{run_id}` replaced by this run's id. */
export function runOutputPath(path: string, ctx: StepContext): string {
  return path.replaceAll(RUN_ID, ctx.runId);
}

/**
 * An append run never rewrites what earlier runs wrote: a file name that already exists (a
 * template without `{run_id}`, or the same run id twice) is refused before any byte is written.
 */
export function refuseExistingFile(ctx: StepContext, path: string, component: string): void {
  const target = resolveProjectPath(ctx.projectDir, path, 'path');
  if (!existsSync(target)) return;
  throw new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `${component}: ${projectRelativePath(ctx.projectDir, target)} already exists; write_mode append never rewrites an earlier file`,
    { hint: `Use ${RUN_ID} in the path so each run names its own file.`, details: { path } },
  );
}

/**
 * Hive-style partitioned output (`<folder>/<column>=<value>/<run id>_<n>.<ext>`): DuckDB writes
 * the partition files into a hidden temp folder inside `folder`, and each finished file is then
 * renamed into place, so readers never see a partial file and a failed run leaves none of its
 * files behind. Earlier runs' files are never touched (each file name carries the run id).
 */
export async function writePartitionedFiles(options: {
  ctx: StepContext;
  folder: string;
  select: string;
  copyOptions: string;
  partitionBy: readonly string[];
  extension: string;
}): Promise<number> {
  const { ctx } = options;
  const folder = resolveProjectPath(ctx.projectDir, options.folder, 'path');
  const shown = projectRelativePath(ctx.projectDir, folder);
  throwIfCancelled(ctx.signal);
  const temp = join(folder, `.osiris-tmp-${ctx.runId}-${randomBytes(4).toString('hex')}`);
  await mkdir(temp, { recursive: true });
  const moved: string[] = [];
  try {
    const partition = options.partitionBy.map((column) => quotedIdentifier(column)).join(', ');
    const rows = await copyToFile(
      ctx,
      options.select,
      temp,
      `${options.copyOptions}, PARTITION_BY (${partition}), FILENAME_PATTERN '${ctx.runId.replace(/'/g, '')}_{i}', FILE_EXTENSION '${options.extension}'`,
    );
    throwIfCancelled(ctx.signal);
    // on_failure: rollback_all: the finished files wait here until every writer is ready.
    await ctx.commitTogether?.ready();
    let bytes = 0;
    for (const file of await filesUnder(temp)) {
      const destination = join(folder, relative(temp, file));
      if (existsSync(destination)) {
        throw new OsirisError(
          ErrorCodes.WRITE_FAILED,
          `${projectRelativePath(ctx.projectDir, destination)} already exists; write_mode append never rewrites an earlier file`,
        );
      }
      bytes += (await stat(file)).size;
      await mkdir(dirname(destination), { recursive: true });
      await rename(file, destination);
      moved.push(destination);
    }
    ctx.metric('bytes_written', bytes, { unit: 'bytes' });
    ctx.log.event('output_written', { path: shown, bytes, rows, files: moved.length });
    return rows;
  } catch (error) {
    await Promise.all(moved.map((file) => rm(file, { force: true })));
    if (isOsirisError(error)) throw error;
    throw new OsirisError(ErrorCodes.WRITE_FAILED, `Writing ${shown} failed: ${messageOf(error)}`, {
      details: { path: shown },
      cause: error,
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
