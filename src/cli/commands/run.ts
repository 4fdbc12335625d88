import type { Command } from 'commander';
import pc from 'picocolors';
import { ExitCodes } from '../../spec/errors.js';
import type { RunStatusFile } from '../../spec/events.js';
import { action, printDiagnostics, printJson } from '../output.js';
import { parseParams } from '../params.js';
import { formatCount, formatDuration, RunProgress } from '../progress.js';

interface RunOptions {
  lastCompile?: boolean;
  param: string[];
  profile?: string;
  verbose?: boolean;
  json?: boolean;
  dryRun?: boolean;
  adapter: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Compile (if given an OML file) and run a pipeline; record events, metrics and artifacts.')
    .argument('[target]', 'an OML pipeline file, or a build dir containing manifest.yaml')
    .option('--last-compile', 'run the most recent `osiris compile` output')
    .option('-p, --param <key=value>', 'set a pipeline parameter (repeatable)', collect, [])
    .option('--profile <name>', 'use the params of profiles.<name> in the OML')
    .option('--adapter <name>', 'where to execute: local | subprocess', 'local')
    .option('--dry-run', 'validate, compile and resolve connections, but touch no data')
    .option('-v, --verbose', 'stream every event as it happens; show stack traces')
    .option('--json', 'print the final run summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris run pipelines/movies.yaml
  $ osiris run pipelines/report.yaml --param since=2024-01-01 --profile prod
  $ osiris compile pipelines/movies.yaml && osiris run --last-compile
  $ osiris run pipelines/movies.yaml --dry-run

Exit codes: 0 success, 2 invalid input, 3 a step failed, 130 interrupted.`,
    )
    .action(action(async (target: string | undefined, options: RunOptions) => runCommand(target, options)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function runCommand(target: string | undefined, options: RunOptions): Promise<number> {
  const { runTarget } = await import('../../runtime/run-target.js');
  const { selectAdapter } = await import('../../runtime/adapters/select-adapter.js');
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCodes.INTERRUPTED);
    interrupted = true;
    process.stderr.write(`\n${pc.yellow('Cancelling…')} (press Ctrl-C again to force)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const progress = options.json ? undefined : new RunProgress(process.stderr);
  try {
    progress?.start();
    const result = await runTarget({
      ...(target ? { target } : {}),
      lastCompile: Boolean(options.lastCompile),
      cwd: process.cwd(),
      env: process.env,
      params: parseParams(options.param),
      ...(options.profile ? { profile: options.profile } : {}),
      dryRun: Boolean(options.dryRun),
      adapter: selectAdapter(options.adapter),
      signal: controller.signal,
      onCompiled: ({ buildDir, warnings }) => {
        if (warnings.length > 0 && !options.json) printDiagnostics(warnings);
        if (options.verbose && !options.json) process.stderr.write(`${pc.dim(`build: ${buildDir}`)}\n`);
      },
      onEvent: (event) => {
        progress?.event(event);
        if (options.verbose && !options.json) process.stderr.write(`${pc.dim(JSON.stringify(event))}\n`);
      },
      onProgress: (stepId, rows) => progress?.progress(stepId, rows),
    });
    progress?.stop();
    if (result.kind === 'dry-run') {
      if (options.json)
        printJson({
          ok: true,
          dry_run: true,
          build_dir: result.buildDir,
          connections: result.connections,
          steps: result.manifest.steps.map((s) => s.id),
        });
      else {
        process.stdout.write(
          `${pc.green('✔')} dry run: ${result.manifest.pipeline.name} compiled to ${result.buildDir}\n`,
        );
        process.stdout.write(`  steps: ${result.manifest.plan.order.join(' → ')}\n`);
        if (result.connections.length)
          process.stdout.write(`  connections resolved: ${result.connections.join(', ')}\n`);
        process.stdout.write('  no data was read or written.\n');
      }
      return ExitCodes.OK;
    }
    if (options.json) printJson(result.status);
    else printSummary(result.status);
    if (result.status.status === 'success') return ExitCodes.OK;
    if (result.status.status === 'cancelled') return ExitCodes.INTERRUPTED;
    return ExitCodes.STEP_FAILED;
  } finally {
    progress?.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function printSummary(status: RunStatusFile): void {
  const head =
    status.status === 'success'
      ? pc.green(`✔ ${status.pipeline} succeeded`)
      : status.status === 'cancelled'
        ? pc.yellow(`■ ${status.pipeline} was cancelled`)
        : pc.red(`✖ ${status.pipeline} failed`);
  process.stdout.write(
    `${head}  ${formatCount(status.total_rows)} rows  ${formatDuration(status.duration_ms ?? 0)}  ${pc.dim(`[${status.adapter}]`)}\n`,
  );
  if (status.error && status.status !== 'success') {
    const where = status.error.step_id ? ` in step '${status.error.step_id}'` : '';
    process.stdout.write(`  ${pc.red(status.error.code)}${where}: ${status.error.message}\n`);
    if (status.error.hint) process.stdout.write(`  ${pc.cyan('hint:')} ${status.error.hint}\n`);
  }
  process.stdout.write(`  run:    ${status.run_id}\n  logs:   ${status.session_dir}\n`);
  process.stdout.write(`  next:   osiris logs show ${status.run_id}\n`);
}
