import type { Command } from 'commander';
import pc from 'picocolors';
import type { Diagnostic } from '../../spec/diagnostics.js';
import { ExitCodes } from '../../spec/errors.js';
import { warnPlaintextSecrets } from '../connection-warnings.js';
import { invalidOml } from '../invalid-oml.js';
import { action, printDiagnostics, printResult } from '../output.js';
import { parseParams } from '../params.js';

interface ValidateOptions {
  json?: boolean;
  /** true: --connections (required), false: --no-connections, undefined: when a file is found. */
  connections?: boolean;
  param: string[];
  profile?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'Check an OML pipeline without moving data: structure, components, config, dependencies, params, ' +
        'connections and file paths.',
    )
    .argument('<file>', 'OML pipeline file (YAML)')
    .option('--json', 'print { ok, file, diagnostics } as JSON')
    .option(
      '--connections',
      'require osiris_connections.yaml: every config.connection must exist in it (checked by default whenever the file is found)',
    )
    .option('--no-connections', 'do not check connection references against osiris_connections.yaml')
    .option('-p, --param <key=value>', 'set a pipeline parameter (repeatable)', collect, [])
    .option('--profile <name>', 'use the params of profiles.<name> in the OML')
    .addHelpText(
      'after',
      `
Every problem is printed as file:line:col: severity OMLnnn: message, with a hint.
The project is the nearest folder upward from the pipeline's own folder that holds
osiris_connections.yaml or osiris.yaml (else the current folder's). Connection references are
checked against its osiris_connections.yaml when there is one. File paths must stay inside the
project, and writers may not replace osiris_connections.yaml, osiris.yaml, .env, .osiris/, build/
or pipeline files. There is no option to write outside the project: write inside it and copy.
Exit code 0 when the pipeline is valid (warnings allowed), 2 when it has errors.

Examples:
  $ osiris validate pipelines/movies.yaml
  $ osiris validate pipelines/movies.yaml --no-connections
  $ osiris validate ../other-project/pipelines/load.yaml
  $ osiris validate pipelines/report.yaml --param since=2024-01-01 --json`,
    )
    .action(
      action(async (file: string, options: ValidateOptions) => {
        const { validateOmlFile } = await import('../../oml/index.js');
        const { createProjectRegistry } = await import('../../composition/builtins.js');
        const { findProjectDirFor } = await import('../../project/find-project-dir.js');
        const path = await import('node:path');
        const projectDir = findProjectDirFor(file, process.cwd(), process.env);
        const connections = await projectConnections(projectDir, options.connections);
        const params = parseParams(options.param);
        const { diagnostics } = await validateOmlFile(file, {
          file,
          registry: createProjectRegistry(projectDir),
          env: process.env,
          params,
          projectDir,
          pipelineFile: path.resolve(file),
          ...(options.profile === undefined ? {} : { profile: options.profile }),
          ...(connections ? { connections } : {}),
        });
        const ok = !diagnostics.some((diagnostic) => diagnostic.severity === 'error');
        if (options.json) {
          printResult({ file, diagnostics }, ok ? undefined : invalidOml(file, diagnostics));
        } else {
          printDiagnostics(diagnostics);
          printVerdict(file, ok, diagnostics);
        }
        return ok ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
      }),
    );
}

/** The project's connections to check references against: when asked, or whenever the file exists. */
async function projectConnections(projectDir: string, wanted: boolean | undefined) {
  const { loadConnections } = await import('../../connections/load-connections.js');
  const config = loadConnections({ cwd: projectDir, env: process.env, projectFound: true });
  await warnPlaintextSecrets(config);
  if (wanted === false) return undefined;
  return wanted === true || config.file !== undefined ? config : undefined;
}

function printVerdict(file: string, ok: boolean, diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const warningText = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  if (ok) {
    process.stdout.write(`${pc.green('✔')} ${file} is valid OML${warnings > 0 ? ` (${warningText})` : ''}\n`);
  } else {
    process.stderr.write(
      `${pc.red('✖')} ${file} is not valid: ${errors} error${errors === 1 ? '' : 's'}, ${warningText}\n`,
    );
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
