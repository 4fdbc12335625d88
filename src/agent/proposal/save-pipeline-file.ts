import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { writeFileAtomic } from '../../util/atomic-file.js';

const PIPELINES_FOLDER = 'pipelines';

/** First line of every pipeline the chat saves: where it came from, and whose file it is to replace. */
export function provenanceLine(sessionId: string): string {
  return `# Proposed in osiris chat session ${sessionId} and approved by the user.`;
}

/**
 * Save an approved pipeline as `pipelines/<name>.yaml`. A file this session saved before is
 * replaced (a revision); anyone else's file with other content is left alone and the pipeline
 * goes to `<name>-2.yaml`, `-3`, …. Returns the path relative to the project folder.
 */
export async function savePipelineFile(
  projectDir: string,
  name: string,
  oml: string,
  sessionId: string,
): Promise<string> {
  const header = provenanceLine(sessionId);
  const content = `${header}\n${oml.trimEnd()}\n`;
  for (let attempt = 1; ; attempt += 1) {
    const relative = path.join(PIPELINES_FOLDER, `${attempt === 1 ? name : `${name}-${attempt}`}.yaml`);
    const absolute = path.join(projectDir, relative);
    if (existsSync(absolute)) {
      const existing = readFileSync(absolute, 'utf8');
      const ours = existing.startsWith(`${header}\n`);
      if (!ours && existing.replace(/^#.*\n/, '') !== content.replace(/^#.*\n/, '')) continue;
    }
    await writeFileAtomic(absolute, content);
    return relative;
  }
}

/**
 * An approved fix replaces the pipeline file it was proposed for (`pipelines/orders.yaml`). The
 * file must lie in the project's pipelines/ folder; its new first line says which session changed it.
 */
export async function replacePipelineFile(
  projectDir: string,
  file: string,
  oml: string,
  sessionId: string,
): Promise<string> {
  const absolute = path.resolve(projectDir, file);
  const inside = path.relative(path.join(projectDir, PIPELINES_FOLDER), absolute);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new OsirisError(
      ErrorCodes.PATH_ESCAPE,
      `A fix may only replace a file under ${PIPELINES_FOLDER}/, not ${file}.`,
    );
  }
  await writeFileAtomic(absolute, `${provenanceLine(sessionId)}\n${oml.trimEnd()}\n`);
  return path.relative(projectDir, absolute).split(path.sep).join('/');
}
