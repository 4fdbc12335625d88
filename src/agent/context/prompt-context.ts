import { existsSync } from 'node:fs';
import path from 'node:path';
import { createProjectRegistry } from '../../composition/builtins.js';
import { loadConnections } from '../../connections/load-connections.js';
import { findProjectDir } from '../../project/find-project-dir.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { BASE_INSTRUCTIONS } from './base-instructions.js';
import { buildComponentContext, type ComponentContext } from './component-context.js';
import { type ConnectionForModel, connectionForModel } from './connection-context.js';
import { loadCustomPrompts, PROMPTS_FOLDER, SYSTEM_PROMPT_FILE } from './custom-prompts.js';
import { buildSystemPrompt } from './system-prompt.js';

export interface PromptContext {
  components: ComponentContext[];
  connections: ConnectionForModel[];
  /** Custom prompt files applied (pro mode). */
  customFiles: string[];
  /** The system prompt a new session sends. */
  systemPrompt: string;
}

/** What `osiris prompts build-context` shows: exactly what a new chat session gives the model. */
export function buildPromptContext(options: {
  cwd: string;
  env: Record<string, string | undefined>;
  proMode: boolean;
}): PromptContext {
  const projectDir = findProjectDir(options.cwd, options.env);
  const config = loadConnections({ cwd: projectDir, env: options.env });
  const registry = createProjectRegistry(projectDir);
  const connections = config.connections.map((raw) => connectionForModel(raw, config.env));
  const custom = options.proMode ? loadCustomPrompts(projectDir) : undefined;
  const customFiles = custom
    ? [
        ...(custom.system ? [path.join(PROMPTS_FOLDER, SYSTEM_PROMPT_FILE)] : []),
        ...custom.extras.map((extra) => extra.file),
      ]
    : [];
  return {
    components: buildComponentContext(registry),
    connections,
    customFiles,
    systemPrompt: buildSystemPrompt({ registry, connections, ...(custom ? { custom } : {}) }),
  };
}

/** Write the built-in instructions where pro mode reads them, so users can start from them. */
export async function exportBasePrompt(options: {
  cwd: string;
  env: Record<string, string | undefined>;
  force: boolean;
}): Promise<string> {
  const projectDir = findProjectDir(options.cwd, options.env);
  const file = path.join(projectDir, PROMPTS_FOLDER, SYSTEM_PROMPT_FILE);
  if (existsSync(file) && !options.force) {
    throw new OsirisError(ErrorCodes.USAGE, `${file} already exists.`, {
      hint: 'pass --force to overwrite it',
    });
  }
  await writeFileAtomic(file, `${BASE_INSTRUCTIONS}\n`);
  return file;
}
