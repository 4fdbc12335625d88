import { existsSync } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { produceFileAtomic } from '../../util/atomic-file.js';
import { VERSION } from '../../version.js';
import type { FoundRun } from './find-run.js';
import type { ProjectRedaction } from './project-redaction.js';
import { decodeText, redactFileText } from './redact-file.js';
import { ZipWriter } from './zip-writer.js';

export interface BundleResult {
  path: string;
  files: number;
  bytes: number;
  /** Binary files copied as they are (redaction cannot look inside them). */
  binaryFiles: string[];
}

/** The name of the note each bundle carries about itself. */
export const BUNDLE_NOTE = 'osiris-bundle.json';

/**
 * Zip a run session for sharing: every file under `<run_id>/` in the archive, text files redacted
 * again on the way in, plus a note saying what the bundle is and which files are binary.
 */
export async function bundleRun(
  found: FoundRun,
  target: string,
  redaction: ProjectRedaction,
): Promise<BundleResult> {
  const runId = found.row.run_id;
  if (!existsSync(found.sessionDir)) {
    throw new OsirisError(
      ErrorCodes.RUN_NOT_FOUND,
      `The session folder of run '${runId}' is gone: ${found.sessionDir}`,
      {
        hint: 'It was deleted outside Osiris; `osiris logs list` still shows the run from the index.',
      },
    );
  }
  const absoluteTarget = resolve(target);
  const binaryFiles: string[] = [];
  let files = 0;
  await produceFileAtomic(absoluteTarget, async (tempPath) => {
    const zip = await ZipWriter.create(tempPath);
    try {
      for (const relativePath of await sessionFiles(found.sessionDir, [absoluteTarget, resolve(tempPath)])) {
        const path = join(found.sessionDir, relativePath);
        const [data, info] = await Promise.all([readFile(path), lstat(path)]);
        const text = decodeText(data);
        if (text === undefined) binaryFiles.push(relativePath);
        const content =
          text === undefined ? data : Buffer.from(redactFileText(relativePath, text, redaction), 'utf8');
        await zip.add(`${runId}/${relativePath}`, content, info.mtime);
        files += 1;
      }
      const note = {
        run_id: runId,
        pipeline: found.row.pipeline,
        status: found.row.status,
        created_at: new Date().toISOString(),
        osiris_version: VERSION,
        redacted: true,
        files,
        binary_files_not_redacted: binaryFiles,
      };
      await zip.add(`${runId}/${BUNDLE_NOTE}`, Buffer.from(`${JSON.stringify(note, null, 2)}\n`, 'utf8'));
      await zip.finish();
    } catch (error) {
      await zip.abort();
      throw error;
    }
  });
  return { path: absoluteTarget, files: files + 1, bytes: (await lstat(absoluteTarget)).size, binaryFiles };
}

/**
 * Regular files of the session (sorted, `/`-separated), without symbolic links, leftover temp
 * files of atomic writes, or the bundle being written when it is placed inside the session.
 */
async function sessionFiles(sessionDir: string, exclude: string[]): Promise<string[]> {
  const entries = await readdir(sessionDir, { recursive: true });
  const files: string[] = [];
  for (const entry of entries.sort()) {
    const path = join(sessionDir, entry);
    if (exclude.includes(resolve(path))) continue;
    const name = entry.split(sep).pop() ?? entry;
    if (name.startsWith('.') && name.includes('.tmp-')) continue;
    if ((await lstat(path)).isFile()) files.push(entry.split(sep).join('/'));
  }
  return files;
}
