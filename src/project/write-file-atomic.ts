import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Write through a temp file in the same folder and rename, so readers never see half a file. */
export function writeFileAtomic(file: string, contents: string): void {
  const folder = path.dirname(file);
  mkdirSync(folder, { recursive: true });
  const temporary = path.join(
    folder,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
