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
Components of the project itself live in components/<family>.<kind>/ (spec.yaml + driver.js) and
work like the built-ins; a project component cannot take a built-in's name.

Examples:
  $ osiris components                        same as \`osiris components list\`
  $ osiris components show mysql.extractor
  $ osiris components new acme.orders --mode extract
  $ osiris components validate`,
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
        const { formatComponentTable, summarizeSpec } = await import('../../registry/index.js');
        const mode = options.mode === undefined ? undefined : parseMode(options.mode);
        const definitions = (await projectRegistry())
          .list()
          .filter((definition) => mode === undefined || definition.spec.modes.includes(mode));
        const specs = definitions.map((definition) => definition.spec);
        const origins = new Map(
          definitions.flatMap((definition) =>
            definition.origin ? [[definition.spec.name, definition.origin] as const] : [],
          ),
        );
        if (options.json) {
          printJson({
            ok: true,
            components: definitions.map((definition) => ({
              ...summarizeSpec(definition.spec),
              origin: definition.origin
                ? definition.origin.specFile.replace(/\/spec\.yaml$/, '')
                : 'built-in',
            })),
          });
        } else process.stdout.write(`${formatComponentTable(specs, origins)}\n`);
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
        const { formatComponentDetails, requireComponent } = await import('../../registry/index.js');
        const { spec, origin } = requireComponent(await projectRegistry(), name);
        if (options.json) {
          printJson({
            ok: true,
            component: spec,
            origin: origin ? origin.specFile.replace(/\/spec\.yaml$/, '') : 'built-in',
          });
        } else process.stdout.write(`${formatComponentDetails(spec, origin)}\n`);
        return 0;
      }),
    );

  components
    .command('new')
    .description(
      'Create a working project component (spec.yaml, driver.js, driver.test.js) in components/NAME/.',
    )
    .argument('<name>', 'family.kind, e.g. acme.orders')
    .requiredOption('--mode <mode>', 'what it does: extract, transform or write')
    .option('--json', 'print the files created as JSON')
    .addHelpText(
      'after',
      `
The driver is an ES module exporting \`run\` (types: osiris-etl/driver); its test runs with
\`node --test components/\`. Edit both, then \`osiris components validate\`.

Examples:
  $ osiris components new acme.orders --mode extract
  $ osiris components new acme.top_rows --mode transform
  $ osiris components new acme.archive --mode write`,
    )
    .action(
      action(async (name: string, options: { mode: string; json?: boolean }) => {
        const { join, relative } = await import('node:path');
        const { existsSync } = await import('node:fs');
        const { mkdir, writeFile } = await import('node:fs/promises');
        const registry = await import('../../registry/index.js');
        const mode = registry.SCAFFOLD_MODES.find((candidate) => candidate === parseMode(options.mode));
        if (!mode) {
          throw new OsirisError(
            'E_USAGE',
            `--mode must be extract, transform or write, not "${options.mode}"`,
          );
        }
        const files = registry.scaffoldComponent(name, mode);
        if ((await import('../../composition/builtins.js')).createDefaultRegistry().has(name)) {
          throw new OsirisError('E_USAGE', `${name} is a built-in component`, {
            hint: `a project component cannot take a built-in's name: choose another family, e.g. my_${name}.`,
          });
        }
        const projectDir = await findProject();
        const folder = join(projectDir, registry.PROJECT_COMPONENTS_FOLDER, name);
        if (existsSync(folder)) {
          throw new OsirisError('E_USAGE', `${relative(process.cwd(), folder) || folder} already exists`, {
            hint: 'choose another name, or edit the component that is there.',
          });
        }
        await mkdir(folder, { recursive: true });
        const written: string[] = [];
        for (const [file, text] of files) {
          await writeFile(join(folder, file), text, { flag: 'wx' });
          written.push(`${registry.PROJECT_COMPONENTS_FOLDER}/${name}/${file}`);
        }
        if (options.json) printJson({ ok: true, component: name, mode, files: written });
        else {
          process.stdout.write(
            `Created ${name} (${mode}):\n${written.map((file) => `  ${file}`).join('\n')}\n` +
              `Next: edit driver.js, then \`osiris components validate\` and \`node --test ${registry.PROJECT_COMPONENTS_FOLDER}/\`.\n`,
          );
        }
        return 0;
      }),
    );

  components
    .command('validate')
    .description("Check the project's components: spec, API version, name and driver file.")
    .argument('[path]', 'a component folder, or a project folder (default: the current project)')
    .option('--json', 'print every problem as JSON')
    .addHelpText(
      'after',
      `
Exit status 2 when a component has a problem; each one is printed as file:line:column, code and hint.

Examples:
  $ osiris components validate
  $ osiris components validate components/acme.orders`,
    )
    .action(
      action(async (path: string | undefined, options: { json?: boolean }) => {
        const { join, resolve, dirname, basename } = await import('node:path');
        const { existsSync } = await import('node:fs');
        const registry = await import('../../registry/index.js');
        const target = resolve(path ?? (await findProject()));
        if (!existsSync(target)) {
          throw new OsirisError('E_FILE_NOT_FOUND', `No such folder: ${path}`, {
            hint: 'give a component folder (components/<name>) or a project folder.',
          });
        }
        const isComponent = existsSync(join(target, registry.SPEC_FILE));
        const projectDir = isComponent ? dirname(dirname(target)) : target;
        const folders = isComponent ? [target] : registry.projectComponentFolders(projectDir);
        if (isComponent && basename(dirname(target)) !== registry.PROJECT_COMPONENTS_FOLDER) {
          throw new OsirisError('E_USAGE', `${path} is not in a components/ folder`, {
            hint: 'project components live in <project>/components/<family>.<kind>/.',
          });
        }
        const builtins = new Set(
          (await import('../../composition/builtins.js')).createDefaultRegistry().names(),
        );
        const checks = [];
        for (const folder of folders)
          checks.push(await registry.checkComponentFolder(folder, projectDir, builtins));
        const failed = checks.filter((check) => check.problems.length > 0);
        if (options.json) {
          printJson({ ok: failed.length === 0, components: checks });
        } else {
          for (const check of checks) {
            const label = check.name ?? check.folder;
            if (check.problems.length === 0) process.stdout.write(`ok      ${label}\n`);
            else {
              process.stdout.write(`failed  ${label}\n`);
              for (const problem of check.problems) {
                process.stdout.write(`  ${problem.code} ${problem.message}\n`);
                if (problem.hint) process.stdout.write(`    hint: ${problem.hint}\n`);
              }
            }
          }
          if (checks.length === 0)
            process.stdout.write('No project components (components/<name>/spec.yaml).\n');
        }
        return failed.length > 0 ? 2 : 0;
      }),
    );
}

async function findProject(): Promise<string> {
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  return findProjectDir(process.cwd(), process.env);
}

/** Built-ins plus the components of the project the command runs in. */
async function projectRegistry() {
  const { createProjectRegistry } = await import('../../composition/builtins.js');
  return createProjectRegistry(await findProject());
}

function parseMode(value: string): SpecMode {
  const mode = MODE_ALIASES[value] ?? MODES.find((candidate) => candidate === value);
  if (mode) return mode;
  throw new OsirisError('E_USAGE', `Unknown mode "${value}"`, { hint: `use one of: ${MODES.join(', ')}.` });
}
