import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/** Entries a build folder may hold; anything else means the folder is not ours to replace. */
const BUILD_ENTRIES = new Set(['manifest.yaml', 'plan.json', 'fingerprints.json', 'cfg']);

/**
 * Write a build folder atomically: every file goes into a temp sibling folder, which then
 * replaces `buildDir` with renames. If anything fails, the temp folder is removed and an existing
 * build is left as it was. Refuses to replace a folder that is not an Osiris build.
 */
export async function writeBuild(buildDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  await assertReplaceable(buildDir);
  const parent = path.dirname(buildDir);
  const base = path.basename(buildDir);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary = path.join(parent, `.${base}.tmp-${suffix}`);
  const previous = path.join(parent, `.${base}.old-${suffix}`);
  await mkdir(parent, { recursive: true });
  try {
    await mkdir(temporary);
    for (const [relative, contents] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const target = path.join(temporary, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, contents, 'utf8');
    }
    const replacing = existsSync(buildDir);
    if (replacing) await rename(buildDir, previous);
    try {
      await rename(temporary, buildDir);
    } catch (error) {
      if (replacing) await rename(previous, buildDir);
      throw error;
    }
    if (replacing) await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw new OsirisError(
      ErrorCodes.COMPILE_FAILED,
      `Cannot write the build to ${buildDir}: ${(error as Error).message}`,
      {
        hint: 'check that the folder is writable and the disk is not full',
        cause: error,
      },
    );
  }
}

async function assertReplaceable(buildDir: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(buildDir)).isDirectory()) throw notABuild(buildDir, 'it is a file');
    entries = await readdir(buildDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const foreign = entries.filter((entry) => !BUILD_ENTRIES.has(entry));
  if (entries.length > 0 && (!entries.includes('manifest.yaml') || foreign.length > 0)) {
    throw notABuild(
      buildDir,
      `it holds ${foreign.length > 0 ? foreign.slice(0, 3).join(', ') : 'no manifest.yaml'}`,
    );
  }
}

function notABuild(buildDir: string, why: string): OsirisError {
  return new OsirisError(
    ErrorCodes.USAGE,
    `Refusing to write the build to ${buildDir}: ${why}, so it is not an Osiris build folder`,
    {
      hint: 'pass --out with an empty or new folder (the default is build/<pipeline name>)',
    },
  );
}
