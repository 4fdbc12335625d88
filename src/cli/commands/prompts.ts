import type { Command } from 'commander';
import pc from 'picocolors';
import { action, printResult } from '../output.js';

export function registerPrompts(program: Command): void {
  const prompts = program
    .command('prompts')
    .description(
      'Show or customise what the chat agent tells the model (components, connections, instructions).',
    );

  prompts
    .command('build-context')
    .description(
      'Print the context the model gets: instructions, component catalogue and connections (no secrets).',
    )
    .option('--json', 'print components, connections and the full system prompt as JSON')
    .option(
      '--pro-mode',
      'apply the custom prompts in .osiris/prompts/ (system.md replaces the instructions)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ osiris prompts build-context
  $ osiris prompts build-context --json | jq '.components[].name'
  $ osiris prompts export && $EDITOR .osiris/prompts/system.md && osiris chat --pro-mode`,
    )
    .action(action(async (options: { json?: boolean; proMode?: boolean }) => buildContextCommand(options)));

  prompts
    .command('export')
    .description(
      'Write the built-in instructions to .osiris/prompts/system.md to customise them (used with --pro-mode).',
    )
    .option('--force', 'overwrite an existing system.md')
    .addHelpText('after', '\nExample:\n  $ osiris prompts export\n  $ osiris chat --pro-mode')
    .action(action(async (options: { force?: boolean }) => exportCommand(options)));
}

async function buildContextCommand(options: { json?: boolean; proMode?: boolean }): Promise<number> {
  const { buildPromptContext } = await import('../../agent/context/prompt-context.js');
  const context = buildPromptContext({
    cwd: process.cwd(),
    env: process.env,
    proMode: Boolean(options.proMode),
  });
  if (options.json) {
    printResult({
      components: context.components,
      connections: context.connections,
      custom_prompts: context.customFiles,
      system_prompt: context.systemPrompt,
    });
  } else {
    process.stdout.write(`${context.systemPrompt}\n`);
    const custom = context.customFiles.length > 0 ? context.customFiles.join(', ') : 'none';
    process.stderr.write(
      pc.dim(
        `\n${context.components.length} components, ${context.connections.length} connections; custom prompts: ${custom}\n`,
      ),
    );
  }
  return 0;
}

async function exportCommand(options: { force?: boolean }): Promise<number> {
  const { exportBasePrompt } = await import('../../agent/context/prompt-context.js');
  const file = await exportBasePrompt({
    cwd: process.cwd(),
    env: process.env,
    force: Boolean(options.force),
  });
  process.stdout.write(`${pc.green('✔')} wrote ${file}\n  edit it, then: osiris chat --pro-mode\n`);
  return 0;
}
