import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ExitCodes } from '../../spec/errors.js';
import { invalidOml } from '../invalid-oml.js';
import { action, printDiagnostics, printResult } from '../output.js';
import { parseParams } from '../params.js';

interface CompileCommandOptions {
  json?: boolean;
  param: string[];
  profile?: string;
  out?: string;
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description(
      'Compile an OML pipeline into a deterministic, fingerprinted build (manifest, step configs, plan).',
    )
    .argument('<file>', 'OML pipeline file (YAML)')
    .option('-p, --param <key=value>', 'set a pipeline parameter (repeatable)', collect, [])
    .option('--profile <name>', 'use the params of profiles.<name> in the OML')
    .option('--out <dir>', 'build folder (default: build/<pipeline name> in the project folder)')
    .option('--json', 'print { ok, file, build_dir, fingerprints, diagnostics } as JSON')
    .addHelpText(
      'after',
      `
The same inputs always give byte-identical files. Secrets are never written: connections stay
"@family.alias" references, resolved only when the pipeline runs.

Examples:
  $ osiris compile pipelines/movies.yaml
  $ osiris compile pipelines/report.yaml --param since=2024-01-01 --profile prod
  $ osiris compile pipelines/movies.yaml && osiris run --last-compile`,
    )
    .action(
      action(async (file: string, options: CompileCommandOptions) => {
        const { compilePipeline } = await import('../../compiler/index.js');
        const { createProjectRegistry } = await import('../../composition/builtins.js');
        const { findProjectDirFor } = await import('../../project/find-project-dir.js');
        const result = await compilePipeline({
          file,
          registry: createProjectRegistry(findProjectDirFor(file, process.cwd(), process.env)),
          env: process.env,
          params: parseParams(options.param),
          ...(options.profile === undefined ? {} : { profile: options.profile }),
          ...(options.out === undefined ? {} : { outDir: path.resolve(options.out) }),
        });
        if (options.json) {
          printResult(
            {
              file,
              ...(result.buildDir === undefined ? {} : { build_dir: result.buildDir }),
              ...(result.fingerprints === undefined ? {} : { fingerprints: result.fingerprints }),
              ...(result.manifest?.plan.streams ? { streams: result.manifest.plan.streams } : {}),
              diagnostics: result.diagnostics,
            },
            result.ok ? undefined : invalidOml(file, result.diagnostics),
          );
          return result.ok ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
        }
        printDiagnostics(result.diagnostics);
        if (!result.ok || !result.buildDir || !result.fingerprints) {
          const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
          process.stderr.write(
            `${pc.red('✖')} ${file} was not compiled: ${errors} error${errors === 1 ? '' : 's'}\n`,
          );
          return ExitCodes.INVALID_INPUT;
        }
        const shown = path.relative(process.cwd(), result.buildDir) || '.';
        process.stdout.write(`${pc.green('✔')} compiled ${result.manifest?.pipeline.name} to ${shown}\n`);
        for (const [name, value] of Object.entries(result.fingerprints)) {
          process.stdout.write(`  ${pc.dim(name.padEnd(15))} ${value}\n`);
        }
        // Edges whose rows flow straight from one step into the next, never stored (plan.json `streams`).
        for (const edge of result.manifest?.plan.streams ?? []) {
          process.stdout.write(`  ${pc.dim('streams'.padEnd(15))} ${edge.from} → ${edge.to}\n`);
        }
        return ExitCodes.OK;
      }),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
