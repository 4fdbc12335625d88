import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONNECTIONS_FILE_NAME } from '../connections/find-connections-file.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { writeFileAtomicSync } from '../util/atomic-file.js';
import {
  connectionsFileTemplate,
  EXAMPLE_CSV,
  EXAMPLE_PIPELINE,
  envExampleTemplate,
  GITIGNORE_ENTRIES,
} from './init-templates.js';

export type InitFileAction = 'created' | 'overwritten' | 'updated' | 'unchanged';

export interface InitResult {
  /** Absolute project folder. */
  dir: string;
  /** Paths relative to `dir`, with `/` separators, in the order they were written. */
  files: Array<{ path: string; action: InitFileAction }>;
}

/**
 * Scaffold a project folder. Existing files are never overwritten without `force`; the error
 * lists them. `.gitignore` is merged (missing entries appended) rather than replaced.
 */
export function initProject(options: { dir: string; force?: boolean }): InitResult {
  const dir = path.resolve(options.dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new OsirisError(ErrorCodes.USAGE, `${dir} exists and is not a folder`, {
      hint: 'give `osiris init` a new or existing folder',
    });
  }
  const planned: Array<{ path: string; contents: string }> = [
    { path: CONNECTIONS_FILE_NAME, contents: connectionsFileTemplate() },
    { path: '.env.example', contents: envExampleTemplate() },
    { path: 'pipelines/example.yaml', contents: EXAMPLE_PIPELINE },
    { path: 'data/example.csv', contents: EXAMPLE_CSV },
  ];
  const existing = planned.filter((file) => existsSync(path.join(dir, file.path))).map((file) => file.path);
  if (existing.length > 0 && !options.force) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `Refusing to overwrite existing files in ${dir}: ${existing.join(', ')}`,
      {
        hint: 'rerun with --force to overwrite them (other files in the folder are left alone)',
        details: { dir, existing },
      },
    );
  }

  const files: InitResult['files'] = [];
  for (const file of planned) {
    writeFileAtomicSync(path.join(dir, file.path), file.contents);
    files.push({ path: file.path, action: existing.includes(file.path) ? 'overwritten' : 'created' });
  }
  files.push({ path: '.gitignore', action: mergeGitignore(path.join(dir, '.gitignore')) });
  return { dir, files };
}

function mergeGitignore(file: string): InitFileAction {
  if (!existsSync(file)) {
    writeFileAtomicSync(file, `${GITIGNORE_ENTRIES.join('\n')}\n`);
    return 'created';
  }
  const current = readFileSync(file, 'utf8');
  const present = new Set(current.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_ENTRIES.filter(
    (entry) => !present.has(entry) && !present.has(entry.replace(/\/$/, '')),
  );
  if (missing.length === 0) return 'unchanged';
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  writeFileAtomicSync(file, `${current}${separator}${missing.join('\n')}\n`);
  return 'updated';
}
