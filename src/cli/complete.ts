import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';

/** Options whose value is a step id of the pipeline named on the same line. */
const STEP_OPTIONS = new Set(['--select', '--from']);
/** Commands whose first argument is a pipeline file. */
const PIPELINE_COMMANDS = new Set(['run', 'validate', 'compile']);
/** Sub-commands whose argument is a run id. */
const RUN_ID_COMMANDS = new Set(['show', 'html', 'bundle']);

/**
 * Candidates for the word being completed, given the words typed after `osiris` (the last one is
 * the partial word, possibly empty). Shells filter them by prefix; nothing here may fail loudly,
 * since a broken project must not break the user's shell.
 */
export async function completeWords(program: Command, words: string[], cwd: string): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const previous = words.at(-2) ?? '';
  const typed = words.slice(0, -1);
  let command = program;
  for (const word of typed) {
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    command = sub;
  }
  const path = commandPath(command);

  if (STEP_OPTIONS.has(previous)) {
    const pipeline = typed.find((word) => /\.ya?ml$/.test(word));
    return pipeline ? stepIds(join(cwd, pipeline)).flatMap((id) => [id, `${id}+`]) : [];
  }
  if (
    current.startsWith('@') ||
    path === 'discover' ||
    (path === 'connections doctor' && !current.startsWith('-'))
  ) {
    return connectionRefs(cwd);
  }
  if (current.startsWith('-')) return optionNames(command.options);
  const subcommands = command.commands
    .filter((c) => !(c as Command & { _hidden?: boolean })._hidden)
    .map((c) => c.name());
  // `osiris logs aiop` takes a run id as well as its own sub-commands (list, prune).
  if (path === 'logs aiop' && typed.length === depth(command))
    return [...subcommands, ...(await runIds(cwd))];
  if (subcommands.length > 0 && command !== program && typed.length === depth(command)) return subcommands;
  if (command === program) return subcommands;
  if (PIPELINE_COMMANDS.has(path) || path === 'copy') return pipelineFiles(cwd);
  if (path.startsWith('logs ') && RUN_ID_COMMANDS.has(command.name())) return await runIds(cwd);
  if (path === 'components show') {
    const { builtinSpecs } = await import('../composition/builtins.js');
    return builtinSpecs.map((spec) => spec.name);
  }
  if (path === 'completion') return ['bash', 'zsh', 'fish'];
  return [];
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function depth(command: Command): number {
  let count = 0;
  for (let c: Command | null = command; c?.parent; c = c.parent) count += 1;
  return count;
}

function optionNames(options: readonly Option[]): string[] {
  return options.flatMap((option) => (option.long ? [option.long] : []));
}

/** Step ids of a pipeline file, in file order. */
export function stepIds(file: string): string[] {
  try {
    const document = parseYaml(readFileSync(file, 'utf8')) as { steps?: Array<{ id?: unknown }> };
    return (document.steps ?? []).flatMap((step) => (typeof step?.id === 'string' ? [step.id] : []));
  } catch {
    return [];
  }
}

/** `*.yaml` files in `pipelines/` and the current folder, as paths relative to it. */
function pipelineFiles(cwd: string): string[] {
  const files: string[] = [];
  for (const folder of [join(cwd, 'pipelines'), cwd]) {
    try {
      for (const name of readdirSync(folder).sort()) {
        if (/\.ya?ml$/.test(name) && name !== 'osiris_connections.yaml' && name !== 'osiris.yaml') {
          files.push(relative(cwd, join(folder, name)));
        }
      }
    } catch {
      // no such folder
    }
  }
  return files;
}

/** `@family` and `@family.alias` for every connection of the project. */
async function connectionRefs(cwd: string): Promise<string[]> {
  try {
    const { loadConnections } = await import('../connections/load-connections.js');
    const config = loadConnections({ cwd, env: process.env });
    const families = [...new Set(config.connections.map((c) => c.family))].map((family) => `@${family}`);
    return [...families, ...config.connections.map((c) => `@${c.family}.${c.alias}`)].sort();
  } catch {
    return [];
  }
}

async function runIds(cwd: string): Promise<string[]> {
  try {
    const { findProjectDir } = await import('../project/find-project-dir.js');
    const { withRunIndex } = await import('../observability/logs/with-run-index.js');
    const projectDir = findProjectDir(cwd, process.env);
    return await withRunIndex(
      projectDir,
      (index) => index?.list({ limit: 20 }).map((row) => row.run_id) ?? [],
    );
  } catch {
    return [];
  }
}
