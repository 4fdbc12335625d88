import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp path in the same folder as `target`, so the final rename never crosses file systems. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
}

/** Write a file so readers see either the old content or the new one, never a half-written file. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  mode?: number,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    await writeFile(temp, data, mode === undefined ? undefined : { mode });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Produce `target` through `produce(tempPath)` and move it into place only if that succeeds;
 * on failure or abort the temp file is removed and `target` is untouched.
 */
export async function produceFileAtomic<T>(
  target: string,
  produce: (tempPath: string) => Promise<T>,
): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const result = await produce(temp);
    await rename(temp, target);
    return result;
  } catch (error) {
    await rm(temp, { force: true, recursive: true });
    throw error;
  }
}

/** The synchronous twin of `writeFileAtomic`, for small files written at start-up or by the CLI. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, mode?: number): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    writeFileSync(temp, data, mode === undefined ? undefined : { mode });
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
