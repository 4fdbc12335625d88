import type { Command } from 'commander';
import type { SpecMode } from '../../spec/component.js';
import { OsirisError } from '../../spec/errors.js';
import { action, printJson } from '../output.js';

const MODES: readonly SpecMode[] = ['extract', 'write', 'transform', 'discover'];
/** OML step modes people type out of habit, mapped to the spec modes listed. */
const MODE_ALIASES: Readonly<Record<string, SpecMode>> = { read: 'extract' };

export function registerComponents(program: Command): void {
  const components = program
    .command('components')
    .description('List the components pipelines can use and show how to configure one.')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris components                        same as \`osiris components list\`
  $ osiris components show mysql.extractor`,
    );

  components
    .command('list', { isDefault: true })
    .description('List every component with its modes and title.')
    .option('--mode <mode>', `only components supporting a mode: ${MODES.join(', ')}`)
    .option('--json', 'print component summaries as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris components list
  $ osiris components list --mode write
  $ osiris components list --json`,
    )
    .action(
      action(async (options: { mode?: string; json?: boolean }) => {
        const { createDefaultRegistry, formatComponentTable, summarizeSpec } = await import(
          '../../registry/index.js'
        );
        const mode = options.mode === undefined ? undefined : parseMode(options.mode);
        const specs = createDefaultRegistry()
          .list()
          .map((definition) => definition.spec)
          .filter((spec) => mode === undefined || spec.modes.includes(mode));
        if (options.json) printJson({ ok: true, components: specs.map(summarizeSpec) });
        else process.stdout.write(`${formatComponentTable(specs)}\n`);
        return 0;
      }),
    );

  components
    .command('show')
    .description('Show a component: description, modes, config fields, connection policies and an example.')
    .argument('<name>', 'component name, e.g. mysql.extractor')
    .option('--json', 'print the full component spec as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris components show mysql.extractor
  $ osiris components show filesystem.csv_writer --json`,
    )
    .action(
      action(async (name: string, options: { json?: boolean }) => {
        const { createDefaultRegistry, formatComponentDetails, requireComponent } = await import(
          '../../registry/index.js'
        );
        const { spec } = requireComponent(createDefaultRegistry(), name);
        if (options.json) printJson({ ok: true, component: spec });
        else process.stdout.write(`${formatComponentDetails(spec)}\n`);
        return 0;
      }),
    );
}

function parseMode(value: string): SpecMode {
  const mode = MODE_ALIASES[value] ?? MODES.find((candidate) => candidate === value);
  if (mode) return mode;
  throw new OsirisError('E_USAGE', `Unknown mode "${value}"`, { hint: `use one of: ${MODES.join(', ')}.` });
}
