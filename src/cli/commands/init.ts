import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { action, printJson } from '../output.js';

interface InitOptions {
  force?: boolean;
  json?: boolean;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'Scaffold a project folder: connections file, .env.example, an example pipeline and its data.',
    )
    .argument('[dir]', 'folder to create or fill', '.')
    .option('--force', 'overwrite files that already exist')
    .option('--json', 'print what was written as JSON')
    .addHelpText(
      'after',
      `
Writes osiris_connections.yaml (commented examples for mysql, postgres, supabase, duckdb and
sqlite), .env.example, pipelines/example.yaml, data/example.csv and .gitignore. Existing files
are left alone unless --force is given; .gitignore only gets the missing entries appended.

Examples:
  $ osiris init my-project
  $ osiris init . --force`,
    )
    .action(action(async (dir: string, options: InitOptions) => init(dir, options)));
}

async function init(dir: string, options: InitOptions): Promise<number> {
  const { initProject } = await import('../../project/index.js');
  const result = initProject({ dir, force: Boolean(options.force) });
  if (options.json) {
    printJson({ ok: true, ...result });
    return 0;
  }
  const shown = path.relative(process.cwd(), result.dir) || '.';
  const width = Math.max(...result.files.map((file) => file.action.length));
  const lines = [`Osiris project ready in ${result.dir}`, ''];
  for (const file of result.files) lines.push(`  ${pc.dim(file.action.padEnd(width))}  ${file.path}`);
  lines.push('', 'Next steps:');
  const steps: Array<[string, string]> = [
    ...(shown === '.'
      ? []
      : ([[`cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`, '']] as Array<[string, string]>)),
    ['osiris validate pipelines/example.yaml', 'check the example pipeline'],
    ['osiris run pipelines/example.yaml', 'run it: data/example.csv → output/example.csv'],
    ['osiris logs html --last --open', 'read the run report'],
    ['cp .env.example .env', 'then uncomment a connection in osiris_connections.yaml'],
    ['osiris connections doctor', 'check your connections'],
  ];
  const commandWidth = Math.max(...steps.map(([command]) => command.length));
  for (const [command, note] of steps) {
    lines.push(`  ${pc.cyan(command.padEnd(commandWidth))}${note ? `  ${pc.dim(note)}` : ''}`.trimEnd());
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
