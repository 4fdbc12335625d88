import type { Command } from 'commander';
import pc from 'picocolors';
import { ErrorCodes, ExitCodes, OsirisError } from '../../spec/errors.js';
import type { RunStatusFile } from '../../spec/events.js';
import type { Manifest } from '../../spec/manifest.js';
import { cancelOnSignal } from '../cancel-on-signal.js';
import { committedWritersNote } from '../committed-writers.js';
import { warnPlaintextSecrets } from '../connection-warnings.js';
import { formatEventLine } from '../event-lines.js';
import { action, printDiagnostics, printJson, printResult } from '../output.js';
import { parseParams } from '../params.js';
import { formatDuration, RunProgress } from '../progress.js';
import { writeRunReport } from '../run-report.js';
import { describeRows } from '../run-rows.js';

export interface RunOptions {
  lastCompile?: boolean;
  param: string[];
  profile?: string;
  verbose?: boolean;
  eventsJson?: boolean;
  json?: boolean;
  dryRun?: boolean;
  adapter: string;
  e2b?: boolean;
  e2bTemplate?: string;
  e2bTimeout?: string;
  e2bCpu?: string;
  e2bMemory?: string;
  e2bInstallDeps?: boolean;
  /** `--no-report` sets this to false. */
  report: boolean;
  /** `--no-samples` sets this to false. */
  samples: boolean;
  select: string[];
  from?: string;
  skipChecks?: boolean;
  fullRefresh?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Compile (if given an OML file) and run a pipeline; record events, metrics and artifacts.')
    .argument('[target]', 'an OML pipeline file, or a build dir containing manifest.yaml')
    .option('--last-compile', 'run the most recent `osiris compile` output')
    .option('-p, --param <key=value>', 'set a pipeline parameter (repeatable)', collect, [])
    .option('--profile <name>', 'use the params of profiles.<name> in the OML')
    .option('--adapter <name>', 'where to execute: local | subprocess | e2b', 'local')
    .option('--e2b', 'run in an E2B cloud sandbox (same as --adapter e2b; needs E2B_API_KEY)')
    .option('--e2b-template <name>', 'E2B sandbox template (needs Node.js 20)')
    .option('--e2b-timeout <seconds>', 'lifetime of the E2B sandbox (default 900)')
    .option('--e2b-cpu <count>', 'CPUs the E2B template must provide at least')
    .option('--e2b-memory <gb>', 'memory in GB the E2B template must provide at least')
    .option(
      '--e2b-install-deps',
      'accepted for compatibility with upstream Osiris; does nothing (the worker bundle carries its dependencies)',
    )
    .option('--dry-run', 'validate, compile and resolve connections, but touch no data')
    .option(
      '--select <step>',
      'run only this step and the steps it needs; STEP+ also runs every step after it (repeatable)',
      collect,
      [],
    )
    .option('--from <step>', 'resume from this step: run it and every step after it (same as --select STEP+)')
    .option(
      '--full-refresh',
      'incremental extractors ignore their stored state and read everything (from initial_value), then store the new cursor',
    )
    .option(
      '--skip-checks',
      'emergency only: run without the data checks of the pipeline (the run records that they were skipped)',
    )
    .option('--no-report', 'do not write the HTML report (written to .osiris/reports/ by default)')
    .option(
      '--no-samples',
      "keep rows out of the run's artifacts: no 10-row sample per step (for sensitive data)",
    )
    .option('-v, --verbose', 'show each event as a readable line; stack traces of internal errors')
    .option('--events-json', 'stream every event as a raw JSON line on stderr (for tools)')
    .option('--json', 'print the final run summary as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris run pipelines/movies.yaml
  $ osiris run pipelines/report.yaml --param since=2024-01-01 --profile prod
  $ osiris compile pipelines/movies.yaml && osiris run --last-compile
  $ osiris run pipelines/movies.yaml --dry-run
  $ osiris run pipelines/movies.yaml --e2b --e2b-timeout 1800
  $ osiris run pipelines/movies.yaml --no-report --no-samples
  $ osiris run pipelines/movies.yaml --select top-rated        # that step and what it needs
  $ osiris run pipelines/movies.yaml --select top-rated+       # ... and everything after it
  $ osiris run pipelines/movies.yaml --from write-csv          # resume a failed run at a step
  $ osiris run pipelines/orders.yaml --full-refresh            # incremental steps read everything once

--select and --from run the steps a selected step needs again (their outputs of an earlier run
are not reused), so a resumed run reads its sources afresh.

After a run the HTML report is written to .osiris/reports/ and its path printed (--no-report
skips it). Each step's artifacts/<step_id>/ folder holds its cleaned config (config.json) and,
for a step with an output table, the output's schema (schema.json) and a redacted 10-row sample
(sample.json; --no-samples leaves rows out).

Data checks (checks: on a step) run on its output before anything that depends on it starts; a
failed error check fails the step (E_CHECK_FAILED) and no target is written. --skip-checks runs
without them and is recorded in the run (run_start, status.json).

Exit codes: 0 success, 2 invalid input, 3 a step failed (or an error check failed), 130 interrupted.`,
    )
    .action(action(async (target: string | undefined, options: RunOptions) => runCommand(target, options)));
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function runCommand(target: string | undefined, options: RunOptions): Promise<number> {
  const { runTarget } = await import('../../runtime/run-target.js');
  const { createProjectRegistry } = await import('../../composition/builtins.js');
  const { selectAdapter } = await import('../../runtime/adapters/select-adapter.js');
  const controller = new AbortController();
  const verbose = Boolean(options.verbose && !options.json);
  const adapterName = options.e2b ? 'e2b' : options.adapter;
  if (options.e2b && !['local', 'e2b'].includes(options.adapter)) {
    throw new OsirisError(ErrorCodes.USAGE, `--e2b and --adapter ${options.adapter} contradict each other.`);
  }
  const adapter = selectAdapter(adapterName, {
    signal: controller.signal,
    e2b: {
      template: options.e2bTemplate,
      timeout: options.e2bTimeout,
      cpu: options.e2bCpu,
      memory: options.e2bMemory,
    },
    ...(verbose
      ? {
          report: (message: string, level: 'info' | 'warning') =>
            process.stderr.write(
              `${pc.dim(`[${adapterName}] ${level === 'warning' ? 'warning: ' : ''}${message}`)}\n`,
            ),
        }
      : {}),
  });
  if (options.e2bInstallDeps) {
    process.stderr.write(
      `${pc.dim('note: --e2b-install-deps is not needed here and does nothing: the worker bundle carries its dependencies.')}\n`,
    );
  }
  // Events of a remote worker are marked with where they ran: `[subprocess]`, `[e2b]`.
  const eventPrefix = adapter.name === 'local' ? '' : `[${adapter.name}] `;
  const uninstallCancel = cancelOnSignal(controller);
  const progress = options.json ? undefined : new RunProgress(process.stderr);
  try {
    progress?.start();
    const result = await runTarget({
      registryFor: createProjectRegistry,
      ...(target ? { target } : {}),
      lastCompile: Boolean(options.lastCompile),
      cwd: process.cwd(),
      env: process.env,
      params: parseParams(options.param),
      ...(options.profile ? { profile: options.profile } : {}),
      dryRun: Boolean(options.dryRun),
      ...(options.samples === false ? { samples: false } : {}),
      ...(options.select.length > 0 || options.from
        ? { select: [...options.select, ...(options.from ? [`${options.from.replace(/\+$/, '')}+`] : [])] }
        : {}),
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      ...(options.skipChecks ? { skipChecks: true } : {}),
      adapter,
      signal: controller.signal,
      onCompiled: ({ buildDir, warnings }) => {
        if (warnings.length > 0 && !options.json) printDiagnostics(warnings);
        if (options.verbose && !options.json) process.stderr.write(`${pc.dim(`build: ${buildDir}`)}\n`);
      },
      onEvent: (event) => {
        progress?.event(event);
        if (options.eventsJson) process.stderr.write(`${eventPrefix}${JSON.stringify(event)}\n`);
        else if (verbose) {
          const line = formatEventLine(event, eventPrefix);
          if (line) process.stderr.write(`${line}\n`);
        }
      },
      onProgress: (stepId, rows, totalRows) => progress?.progress(stepId, rows, totalRows),
      onConnections: (connections) => warnPlaintextSecrets(connections),
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
    const report =
      options.report === false
        ? undefined
        : await writeRunReport(result.projectDir, result.status.run_id, process.env, {
            quiet: Boolean(options.json),
          });
    if (options.json) {
      const { error, ...status } = result.status;
      printResult(
        { ...status, report: report ?? null },
        status.status === 'success'
          ? undefined
          : (error ?? { code: ErrorCodes.STEP_FAILED, message: `The run ended ${status.status}.` }),
      );
    } else printSummary(result.status, report, result.manifest);
    if (result.status.status === 'success') return ExitCodes.OK;
    if (result.status.status === 'cancelled') return ExitCodes.INTERRUPTED;
    return ExitCodes.STEP_FAILED;
  } finally {
    progress?.stop();
    uninstallCancel();
  }
}

function printSummary(
  status: RunStatusFile,
  report: string | undefined,
  manifest: Pick<Manifest, 'steps'> | undefined,
): void {
  const rows = describeRows(status, manifest);
  const head =
    status.status === 'success'
      ? pc.green(`✔ ${status.pipeline} succeeded`)
      : status.status === 'cancelled'
        ? pc.yellow(`■ ${status.pipeline} was cancelled`)
        : pc.red(`✖ ${status.pipeline} failed`);
  process.stdout.write(
    `${head}  ${rows.head}  ${formatDuration(status.duration_ms ?? 0)}  ${pc.dim(`[${status.adapter}]`)}\n`,
  );
  if (rows.outputs) process.stdout.write(`  outputs: ${rows.outputs}\n`);
  if (status.error && status.status !== 'success') {
    const where = status.error.step_id ? ` in step '${status.error.step_id}'` : '';
    process.stdout.write(`  ${pc.red(status.error.code)}${where}: ${status.error.message}\n`);
    if (status.error.hint) process.stdout.write(`  ${pc.cyan('hint:')} ${status.error.hint}\n`);
  }
  const committed = committedWritersNote(status);
  if (committed) process.stdout.write(`  ${pc.yellow(committed)}\n`);
  process.stdout.write(`  run:    ${status.run_id}\n  logs:   ${status.session_dir}\n`);
  if (report) process.stdout.write(`  report: ${report}\n`);
  process.stdout.write(
    `  next:   osiris logs show ${status.run_id}   ·   osiris logs html ${status.run_id} --open\n`,
  );
}
