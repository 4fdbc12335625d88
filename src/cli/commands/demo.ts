import { relative } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ExitCodes } from '../../spec/errors.js';
import { action, printResult } from '../output.js';
import { formatCount, formatDuration, RunProgress } from '../progress.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Create a demo project with a bundled movies database, then compile and run its pipelines.')
    .argument('[dir]', 'folder to create the demo in', 'osiris-demo')
    .option('--force', 'overwrite the demo files if the folder already has them')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
No server, API key or network is needed: the movies database is an embedded DuckDB file.

Examples:
  $ osiris demo
  $ osiris demo /tmp/movies-demo --force
  $ cd osiris-demo && osiris logs list`,
    )
    .action(
      action(async (dir: string, options: { force?: boolean; json?: boolean }) => {
        const { runDemo } = await import('../../demo/run-demo.js');
        const progress = options.json ? undefined : new RunProgress(process.stderr, { prefix: '  ' });
        progress?.start();
        const result = await runDemo(dir, {
          force: Boolean(options.force),
          onPipelineStart: (pipeline) => {
            if (!options.json) process.stderr.write(`${pc.bold(`▶ ${pipeline}`)}\n`);
          },
          onEvent: (event) => progress?.event(event),
          onProgress: (stepId, rows) => progress?.progress(stepId, rows),
        }).finally(() => progress?.stop());
        const ok = result.runs.length > 0 && result.runs.every((r) => r.status.status === 'success');
        if (options.json) {
          const failed = result.runs.find((r) => r.status.status !== 'success')?.status;
          printResult(
            {
              project_dir: result.projectDir,
              report: result.reportIndex,
              reports: result.reports,
              runs: result.runs.map((r) => r.status),
            },
            ok
              ? undefined
              : (failed?.error ?? { code: 'E_STEP_FAILED', message: 'The demo pipelines did not run.' }),
          );
        } else {
          const shown = relative(process.cwd(), result.projectDir) || '.';
          process.stdout.write(
            `\n${ok ? pc.green('✔ Demo complete') : pc.red('✖ Demo failed')} in ${shown}/\n`,
          );
          for (const { pipeline, status } of result.runs) {
            const mark = status.status === 'success' ? pc.green('✔') : pc.red('✖');
            process.stdout.write(
              `  ${mark} ${pipeline}  ${formatCount(status.total_rows)} rows  ${formatDuration(status.duration_ms ?? 0)}  run ${status.run_id}\n`,
            );
            if (status.error)
              process.stdout.write(`    ${pc.red(status.error.code)}: ${status.error.message}\n`);
          }
          const report = relative(process.cwd(), result.reportIndex);
          process.stdout.write(
            `\n  outputs:   ${shown}/output/\n  run logs:  ${shown}/.osiris/runs/\n  report:    ${report}\n`,
          );
          process.stdout.write(
            `\n  next:  cd ${shown} && osiris logs list && osiris logs html --last --open\n`,
          );
        }
        return ok ? ExitCodes.OK : ExitCodes.STEP_FAILED;
      }),
    );
}
