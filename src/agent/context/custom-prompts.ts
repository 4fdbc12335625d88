import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Folder of a project's custom prompts, read in pro mode. */
export const PROMPTS_FOLDER = path.join('.osiris', 'prompts');
/** Replaces the built-in instructions when present. */
export const SYSTEM_PROMPT_FILE = 'system.md';

export interface CustomPrompts {
  /** Replacement for the built-in instructions (from system.md). */
  system?: string;
  /** Every other `*.md` file, by name, appended as project instructions. */
  extras: { file: string; text: string }[];
}

/**
 * Pro mode's prompts: `.osiris/prompts/system.md` replaces the built-in instructions and every
 * other Markdown file there is added as project instructions, in file-name order.
 */
export function loadCustomPrompts(projectDir: string): CustomPrompts {
  const folder = path.join(projectDir, PROMPTS_FOLDER);
  if (!existsSync(folder)) return { extras: [] };
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.md'))
    .sort();
  const prompts: CustomPrompts = { extras: [] };
  for (const file of files) {
    const text = readFileSync(path.join(folder, file), 'utf8').trim();
    if (text.length === 0) continue;
    if (file === SYSTEM_PROMPT_FILE) prompts.system = text;
    else prompts.extras.push({ file: path.join(PROMPTS_FOLDER, file), text });
  }
  return prompts;
}
