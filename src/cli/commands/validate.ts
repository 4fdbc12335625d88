import type { Command } from 'commander';
import pc from 'picocolors';
import type { Diagnostic } from '../../spec/diagnostics.js';
import { ExitCodes } from '../../spec/errors.js';
import { action, printDiagnostics, printJson } from '../output.js';
import { parseParams } from '../params.js';

interface ValidateOptions {
  json?: boolean;
  connections?: boolean;
  param: string[];
  profile?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check an OML pipeline: structure, components, config, dependencies and params.')
    .argument('<file>', 'OML pipeline file (YAML)')
    .option('--json', 'print { ok, file, diagnostics } as JSON')
    .option('--connections', 'also check that every config.connection exists in osiris_connections.yaml')
    .option('-p, --param <key=value>', 'set a pipeline parameter (repeatable)', collect, [])
    .option('--profile <name>', 'use the params of profiles.<name> in the OML')
    .addHelpText(
      'after',
      `
Every problem is printed as file:line:col: severity OMLnnn: message, with a hint.
Exit code 0 when the pipeline is valid (warnings allowed), 2 when it has errors.

Examples:
  $ osiris validate pipelines/movies.yaml
  $ osiris validate pipelines/movies.yaml --connections
  $ osiris validate pipelines/report.yaml --param since=2024-01-01 --json`,
    )
    .action(
      action(async (file: string, options: ValidateOptions) => {
        const { validateOmlFile } = await import('../../oml/index.js');
        const { createDefaultRegistry } = await import('../../registry/default-registry.js');
        const connections = options.connections ? await projectConnections() : undefined;
        const params = parseParams(options.param);
        const { diagnostics } = await validateOmlFile(file, {
          file,
          registry: createDefaultRegistry(),
          env: process.env,
          params,
          ...(options.profile === undefined ? {} : { profile: options.profile }),
          ...(connections ? { connections } : {}),
        });
        const ok = !diagnostics.some((diagnostic) => diagnostic.severity === 'error');
        if (options.json) {
          printJson({ ok, file, diagnostics });
        } else {
          printDiagnostics(diagnostics);
          printVerdict(file, ok, diagnostics);
        }
        return ok ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
      }),
    );
}

async function projectConnections() {
  const { loadConnections } = await import('../../connections/load-connections.js');
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  return loadConnections({ cwd: findProjectDir(process.cwd(), process.env), env: process.env });
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
