import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { currentProcess, hostTag, isProcessGone } from './process-identity.js';

/**
 * A temp path in the same folder as `target`, so the final rename never crosses file systems:
 * `.<name>.tmp-<host tag>-<pid>-<process start>-<random>`. The owner in the name lets a later
 * process tell a leftover of a killed process from a file another live process is writing.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${ownerTag()}-${randomBytes(6).toString('hex')}`);
}

let cachedOwnerTag: string | undefined;
function ownerTag(): string {
  if (cachedOwnerTag === undefined) {
    const owner = currentProcess();
    cachedOwnerTag = `${hostTag(owner.host)}-${owner.pid}-${owner.started ?? '0'}`;
  }
  return cachedOwnerTag;
}

/** Temp files of an older format carry no owner: removed once this old, reported until then. */
export const UNOWNED_TEMP_STALE_AFTER_MS = 24 * 3_600_000;

export interface StaleTempFiles {
  /** Leftovers of processes that have ended, now removed (absolute paths). */
  removed: string[];
  /** Temp files whose owner cannot be told (another host, or no owner in the name); kept. */
  kept: string[];
}

/**
 * Remove the temp files `tempPathFor(target)` names that a killed process left next to `target`
 * (`.<name>.tmp-*`). A temp file whose owner is alive, or runs on another host, is kept.
 */
export async function removeStaleTempFiles(target: string, now = Date.now()): Promise<StaleTempFiles> {
  const folder = dirname(target);
  const prefix = `.${basename(target)}.tmp-`;
  const result: StaleTempFiles = { removed: [], kept: [] };
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return result;
  }
  const localHost = hostTag();
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const path = join(folder, name);
    const rest = name.slice(prefix.length);
    const owned = /^([0-9a-f]{8})-(\d+)-(\d+)-[0-9a-f]{12}$/.exec(rest);
    let stale: boolean;
    if (owned) {
      const [, host, pid, started] = owned;
      stale =
        host === localHost &&
        isProcessGone({
          pid: Number(pid),
          host: hostname(),
          ...(started !== '0' ? { started } : {}),
        }) === true;
    } else if (/^[0-9a-f]{12}$/.test(rest)) {
      const info = await lstat(path).catch(() => undefined);
      stale = info !== undefined && now - info.mtimeMs > UNOWNED_TEMP_STALE_AFTER_MS;
    } else {
      continue;
    }
    if (!stale) {
      result.kept.push(path);
      continue;
    }
    await rm(path, { force: true, recursive: true });
    result.removed.push(path);
  }
  return result;
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
