import type { Command } from 'commander';
import pc from 'picocolors';
import { ErrorCodes, ExitCodes, OsirisError } from '../../spec/errors.js';
import { action, printJson } from '../output.js';

interface ListOptions {
  status?: string;
  since?: string;
  pipeline?: string;
  limit: string;
  json?: boolean;
}

interface ShowOptions {
  last?: boolean;
  events?: boolean;
  json?: boolean;
}

interface HtmlOptions {
  last?: boolean;
  out?: string;
  open?: boolean;
  json?: boolean;
}

interface BundleOptions {
  last?: boolean;
  output?: string;
  json?: boolean;
}

interface GcOptions {
  keep?: string;
  olderThan?: string;
  crashed?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

interface AiopOptions {
  last?: boolean;
  format: string;
  out?: string;
  maxCoreBytes?: string;
  samples: boolean;
}

interface AiopPruneOptions {
  keep?: string;
  dryRun?: boolean;
  json?: boolean;
}

const RUN_STATUSES = ['success', 'failed', 'running', 'cancelled', 'crashed'];

export function registerLogs(program: Command): void {
  const logs = program
    .command('logs')
    .description(
      'Inspect past runs: list them, show one, write the HTML report, bundle or clean up sessions.',
    )
    .addHelpText(
      'after',
      `
Run sessions live in <project>/.osiris/runs/<run_id>/ (events.jsonl, metrics.jsonl, manifest.yaml,
cfg/, artifacts/, status.json); an index there keeps listing fast.

Examples:
  $ osiris logs list --status failed --since 7d
  $ osiris logs show --last
  $ osiris logs html --last --open
  $ osiris logs bundle run_20250101T120000000Z_a1b2c3 -o run.zip
  $ osiris logs gc --keep 50
  $ osiris logs aiop --last --format md`,
    );

  logs
    .command('list')
    .description('List recent runs, newest first.')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--since <when>', 'only runs started since a date (2024-06-01) or an age (7d, 12h)')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--limit <n>', 'at most this many runs', '20')
    .option('--json', 'print the runs as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris logs list
  $ osiris logs list --status failed --since 24h
  $ osiris logs list --pipeline movies --limit 100 --json`,
    )
    .action(action(async (options: ListOptions) => listCommand(options)));

  logs
    .command('show')
    .description('Show one run: summary, steps, errors with hints; --events prints the event stream.')
    .argument('[run_id]', 'the run to show (see `osiris logs list`); without it, the most recent run')
    .option('--last', 'show the most recent run (the default without a run id)')
    .option('--events', 'also print every event')
    .option('--json', 'print the run as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris logs show            # the most recent run
  $ osiris logs show run_20250101T120000000Z_a1b2c3 --events
  $ osiris logs show --last --json`,
    )
    .action(action(async (runId: string | undefined, options: ShowOptions) => showCommand(runId, options)));

  logs
    .command('html')
    .description('Write the HTML report of a run (or of the recent runs) and an index page of runs.')
    .argument('[run_id]', 'the run to report on; without it, the 20 most recent runs')
    .option('--last', 'report on the most recent run')
    .option('--out <dir>', 'output folder (default: <project>/.osiris/reports)')
    .option(
      '--open',
      'open the report in a browser ($BROWSER, else the system default) when a display exists',
    )
    .option('--json', 'print the written paths as JSON')
    .addHelpText(
      'after',
      `
Each report is one self-contained file (no network access needed); index.html lists recent runs.

Examples:
  $ osiris logs html --last --open
  $ osiris logs html run_20250101T120000000Z_a1b2c3 --out reports/
  $ osiris logs html            # reports for the 20 most recent runs + index.html`,
    )
    .action(action(async (runId: string | undefined, options: HtmlOptions) => htmlCommand(runId, options)));

  logs
    .command('bundle')
    .description('Zip a run session to share it; text files are redacted again on the way in.')
    .argument('[run_id]', 'the run to bundle')
    .option('--last', 'bundle the most recent run')
    .option('-o, --output <file>', 'zip file to write (default: ./<run_id>.zip)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ osiris logs bundle run_20250101T120000000Z_a1b2c3 -o failed-run.zip
  $ osiris logs bundle --last`,
    )
    .action(
      action(async (runId: string | undefined, options: BundleOptions) => bundleCommand(runId, options)),
    );

  logs
    .command('gc')
    .description('Delete old run sessions (never the most recent run); asks first unless --yes.')
    .option('--keep <n>', 'keep the n most recent runs')
    .option('--older-than <age>', 'delete runs older than this age (30d, 12h, 2w)')
    .option('--crashed', 'only remove what crashed runs left behind; keep every session')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'only list what would be deleted')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
With both --keep and --older-than, a run is deleted only when it is older than the age and not
among the n most recent. Runs that may still be running are kept.

Every gc (except --dry-run) first removes what crashed runs left behind: their temporary
data-plane folder and hidden temp output files (.NAME.tmp-*). A run is crashed when its process
on this machine has ended without finishing it (\`osiris logs list\` shows it as crashed).

Examples:
  $ osiris logs gc --crashed
  $ osiris logs gc --keep 50
  $ osiris logs gc --older-than 30d --yes
  $ osiris logs gc --keep 10 --older-than 7d --dry-run`,
    )
    .action(action(async (options: GcOptions) => gcCommand(options)));

  registerAiop(logs);
}

async function projectDir(): Promise<string> {
  const { findProjectDir } = await import('../../project/find-project-dir.js');
  return findProjectDir(process.cwd(), process.env);
}

function warn(problems: string[], json: boolean | undefined): void {
  if (json) return;
  for (const problem of problems) process.stderr.write(`${pc.yellow('warning')} ${problem}\n`);
}

function positiveInteger(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${option} expects a whole number of at least 1, got '${value}'.`,
      {
        hint: `Example: ${option} 20`,
      },
    );
  }
  return parsed;
}

async function listCommand(options: ListOptions): Promise<number> {
  const { listRuns, parseSince } = await import('../../observability/logs/index.js');
  if (options.status && !RUN_STATUSES.includes(options.status)) {
    throw new OsirisError(ErrorCodes.USAGE, `Unknown status '${options.status}'.`, {
      hint: `Use one of: ${RUN_STATUSES.join(', ')}.`,
    });
  }
  const runs = await listRuns(await projectDir(), {
    ...(options.status ? { status: options.status } : {}),
    ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    ...(options.since ? { since: parseSince(options.since) } : {}),
    limit: positiveInteger(options.limit, '--limit'),
  });
  if (options.json) {
    printJson({ ok: true, runs });
    return ExitCodes.OK;
  }
  const { renderRunList } = await import('../../report/text/render-run-list.js');
  process.stdout.write(`${renderRunList(runs, pc)}\n`);
  return ExitCodes.OK;
}

async function showCommand(runId: string | undefined, options: ShowOptions): Promise<number> {
  const library = await import('../../observability/logs/index.js');
  const dir = await projectDir();
  // Without a run id the most recent run is shown, as `osiris logs show --last` would.
  const found = await library.findRun(dir, {
    ...(runId ? { runId } : {}),
    ...(options.last || !runId ? { last: true } : {}),
  });
  const details = await library.loadRunDetails(
    found,
    (await import('../../composition/project-redaction.js')).projectRedaction(dir, process.env),
  );
  if (options.json) {
    printJson({ ok: true, run: details });
    return ExitCodes.OK;
  }
  const { renderRunDetails, renderEventStream } = await import('../../report/text/render-run-details.js');
  process.stdout.write(`${renderRunDetails(details, pc)}\n`);
  if (options.events) process.stdout.write(`\n${renderEventStream(details.events, pc)}\n`);
  else
    process.stdout.write(
      pc.dim(
        `\nmore: osiris logs show ${details.runId} --events · osiris logs html ${details.runId} --open\n`,
      ),
    );
  return ExitCodes.OK;
}

async function htmlCommand(runId: string | undefined, options: HtmlOptions): Promise<number> {
  const library = await import('../../observability/logs/index.js');
  const { writeReports } = await import('../../report/write-reports.js');
  const dir = await projectDir();
  const selector =
    runId || options.last
      ? { ...(runId ? { runId } : {}), ...(options.last ? { last: true } : {}) }
      : undefined;
  const written = await writeReports({
    projectDir: dir,
    redaction: (await import('../../composition/project-redaction.js')).projectRedaction(dir, process.env),
    ...(options.out ? { outDir: options.out } : {}),
    ...(selector ? { selector } : {}),
  });
  const main = selector && written.reports[0] ? written.reports[0].path : written.indexPath;
  const opened = options.open ? await library.openInBrowser(main, process.env) : undefined;
  if (options.json) {
    printJson({
      ok: true,
      report: main,
      reports: written.reports,
      index: written.indexPath,
      opened: opened ?? null,
    });
    return ExitCodes.OK;
  }
  warn(written.problems, options.json);
  if (!selector) {
    process.stdout.write(pc.dim(`${written.reports.length} run report(s) written to ${written.outDir}\n`));
  }
  process.stdout.write(`${main}\n`);
  if (opened && !opened.opened)
    process.stderr.write(pc.dim(`not opened (${opened.reason}); open the file above in a browser.\n`));
  return ExitCodes.OK;
}

async function bundleCommand(runId: string | undefined, options: BundleOptions): Promise<number> {
  const library = await import('../../observability/logs/index.js');
  const { formatBytes } = await import('../../report/format.js');
  const dir = await projectDir();
  const found = await library.findRun(dir, {
    ...(runId ? { runId } : {}),
    ...(options.last ? { last: true } : {}),
  });
  const redaction = (await import('../../composition/project-redaction.js')).projectRedaction(
    dir,
    process.env,
  );
  warn(redaction.problems, options.json);
  const result = await library.bundleRun(found, options.output ?? `${found.row.run_id}.zip`, redaction);
  if (options.json) {
    printJson({ ok: true, ...result });
    return ExitCodes.OK;
  }
  process.stdout.write(
    `${pc.green('✔')} ${result.files} files, ${formatBytes(result.bytes)}, secrets redacted\n`,
  );
  if (result.binaryFiles.length > 0) {
    process.stdout.write(
      pc.dim(`  binary files copied as they are (not redacted): ${result.binaryFiles.join(', ')}\n`),
    );
  }
  process.stdout.write(`${result.path}\n`);
  return ExitCodes.OK;
}

async function gcCommand(options: GcOptions): Promise<number> {
  const library = await import('../../observability/logs/index.js');
  const { formatBytes } = await import('../../report/format.js');
  const deletesRuns = options.keep !== undefined || options.olderThan !== undefined;
  if (!deletesRuns && !options.crashed) {
    throw new OsirisError(ErrorCodes.USAGE, 'Say which runs to delete: --keep N and/or --older-than AGE.', {
      hint: 'Example: osiris logs gc --keep 50   or   osiris logs gc --older-than 30d   (or --crashed to only clean up after crashed runs)',
    });
  }
  const dir = await projectDir();
  // Crashed runs' temp folders and files go first: their sessions may be deleted below.
  const crashedLeftovers = options.dryRun
    ? []
    : await library.withRunIndex(dir, (index) =>
        index ? library.removeCrashedRunLeftovers(dir, index) : [],
      );
  if (!options.json) {
    for (const { run_id, removed } of crashedLeftovers)
      process.stdout.write(
        `${pc.green('✔')} removed what crashed run ${run_id} left behind (${removed.length} path(s))\n`,
      );
  }
  if (!deletesRuns) {
    if (options.json)
      printJson({
        ok: true,
        dry_run: Boolean(options.dryRun),
        deleted: 0,
        crashed_leftovers: crashedLeftovers,
      });
    else if (crashedLeftovers.length === 0) process.stdout.write('No crashed run left anything behind.\n');
    return ExitCodes.OK;
  }
  const plan = library.planRunCleanup(await library.allRuns(dir), {
    ...(options.keep !== undefined ? { keep: positiveInteger(options.keep, '--keep') } : {}),
    ...(options.olderThan !== undefined ? { olderThanMs: library.parseAge(options.olderThan) } : {}),
  });
  const bytes = await library.runsBytes(dir, plan.remove);
  const summary = {
    remove: plan.remove.map((row) => row.run_id),
    kept: plan.keep.length,
    still_running: plan.running.map((row) => row.run_id),
    bytes,
    crashed_leftovers: crashedLeftovers,
  };
  if (plan.remove.length === 0 || options.dryRun) {
    if (options.json) printJson({ ok: true, dry_run: Boolean(options.dryRun), deleted: 0, ...summary });
    else if (plan.remove.length === 0)
      process.stdout.write(`Nothing to delete (${plan.keep.length} runs kept).\n`);
    else {
      process.stdout.write(
        `Would delete ${plan.remove.length} runs (${formatBytes(bytes)}), keeping ${plan.keep.length}:\n`,
      );
      for (const row of plan.remove)
        process.stdout.write(`  ${row.run_id}  ${row.pipeline}  ${row.status}\n`);
    }
    return ExitCodes.OK;
  }
  const question = `Delete ${plan.remove.length} run sessions (${formatBytes(bytes)}), keeping ${plan.keep.length}?`;
  if (!options.yes) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      throw new OsirisError(
        ErrorCodes.USAGE,
        `Refusing to delete ${plan.remove.length} run sessions without confirmation.`,
        {
          hint: 'Nothing was deleted. Rerun with --yes to confirm, or with --dry-run to see the list first.',
        },
      );
    }
    if (!(await confirm(question))) {
      process.stderr.write('Nothing was deleted.\n');
      return ExitCodes.OK;
    }
  }
  const deleted = await library.removeRuns(dir, plan.remove);
  if (options.json) printJson({ ok: true, dry_run: false, deleted, ...summary });
  else {
    process.stdout.write(
      `${pc.green('✔')} deleted ${deleted} run sessions (${formatBytes(bytes)}); ${plan.keep.length} kept\n`,
    );
    if (plan.running.length > 0)
      process.stdout.write(pc.dim(`  ${plan.running.length} run(s) still running were kept\n`));
  }
  return ExitCodes.OK;
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

function registerAiop(logs: Command): void {
  const aiop = logs
    .command('aiop')
    .description(
      'Export a run as an AI Operation Package: deterministic, secret-free JSON (or a Markdown run card) for a model or a human.',
    )
    .argument('[run_id]', 'the run to export; without it, the most recent run')
    .option('--last', 'the most recent run (the default without a run id)')
    .option('--format <format>', 'what to print or write: json (the core) or md (the run card)', 'json')
    .option('--out <path>', 'write it to this file instead of printing it')
    .option(
      '--max-core-bytes <n>',
      'size bound of the JSON core (default 300000); the rest goes to the annex',
    )
    .option('--no-samples', 'leave row samples out of the package')
    .addHelpText(
      'after',
      `
The package is written to <project>/.osiris/aiop/<run_id>/: aiop.json (the core), run-card.md and
annex/*.ndjson (every event and metric as evidence, every step in full). The same run always gives
the same bytes. Facts carry evidence ids ev.<kind>.<step>.<name>.<ms> that the narrative cites.

Examples:
  $ osiris logs aiop --last
  $ osiris logs aiop run_20250101T120000000Z_a1b2c3 --format md
  $ osiris logs aiop --last --no-samples --out failed-run.json
  $ osiris logs aiop list
  $ osiris logs aiop prune --keep 20`,
    )
    .action(action(async (runId: string | undefined, options: AiopOptions) => aiopCommand(runId, options)));

  aiop
    .command('list')
    .description('List the exported packages, newest run first.')
    .option('--json', 'print them as JSON')
    .action(action(async (options: { json?: boolean }) => aiopListCommand(options)));

  aiop
    .command('prune')
    .description('Remove packages whose run was deleted and, with --keep, all but the newest n.')
    .option('--keep <n>', 'keep the packages of the n most recent runs')
    .option('--dry-run', 'only list what would be removed')
    .option('--json', 'print the result as JSON')
    .action(action(async (options: AiopPruneOptions) => aiopPruneCommand(options)));
}

async function aiopCommand(runId: string | undefined, options: AiopOptions): Promise<number> {
  if (options.format !== 'json' && options.format !== 'md') {
    throw new OsirisError(ErrorCodes.USAGE, `Unknown format '${options.format}'.`, {
      hint: 'Use --format json (the core) or --format md (the run card).',
    });
  }
  const maxCoreBytes =
    options.maxCoreBytes === undefined
      ? undefined
      : positiveInteger(options.maxCoreBytes, '--max-core-bytes');
  if (maxCoreBytes !== undefined && maxCoreBytes < 10_000) {
    throw new OsirisError(ErrorCodes.USAGE, '--max-core-bytes must be at least 10000.', {
      hint: 'Below that not even the run facts and the DAG fit; the default is 300000.',
    });
  }
  const { exportAiop } = await import('../../observability/aiop/index.js');
  const { projectRedaction } = await import('../../composition/project-redaction.js');
  const dir = await projectDir();
  const redaction = projectRedaction(dir, process.env);
  warn(redaction.problems, false);
  const exported = await exportAiop({
    projectDir: dir,
    redaction,
    selector: runId ? { runId } : { last: true },
    samples: options.samples,
    ...(maxCoreBytes !== undefined ? { maxCoreBytes } : {}),
  });
  const text = options.format === 'md' ? exported.package.markdown : exported.package.json;
  if (options.out) {
    const { writeFileAtomic } = await import('../../util/atomic-file.js');
    await writeFileAtomic(options.out, text, 0o600);
    process.stderr.write(pc.dim(`package: ${exported.dir}\n`));
    process.stdout.write(`${options.out}\n`);
    return ExitCodes.OK;
  }
  process.stdout.write(text);
  return ExitCodes.OK;
}

async function aiopListCommand(options: { json?: boolean }): Promise<number> {
  const { listAiopPackages } = await import('../../observability/aiop/index.js');
  const { formatBytes } = await import('../../report/format.js');
  const packages = await listAiopPackages(await projectDir());
  if (options.json) {
    printJson({ ok: true, packages });
    return ExitCodes.OK;
  }
  if (packages.length === 0) {
    process.stdout.write('No packages yet: `osiris logs aiop --last` writes one.\n');
    return ExitCodes.OK;
  }
  for (const entry of packages) {
    const notes = [entry.truncated ? 'truncated' : '', entry.run_exists ? '' : 'run deleted'].filter(Boolean);
    process.stdout.write(
      `${entry.run_id}  ${entry.pipeline}  ${entry.status}  ${formatBytes(entry.bytes)}${notes.length ? `  (${notes.join(', ')})` : ''}\n`,
    );
  }
  return ExitCodes.OK;
}

async function aiopPruneCommand(options: AiopPruneOptions): Promise<number> {
  const { pruneAiopPackages } = await import('../../observability/aiop/index.js');
  const { formatBytes } = await import('../../report/format.js');
  const result = await pruneAiopPackages(await projectDir(), {
    ...(options.keep !== undefined ? { keep: positiveInteger(options.keep, '--keep') } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  if (options.json) {
    printJson({
      ok: true,
      dry_run: Boolean(options.dryRun),
      removed: result.removed.map((entry) => entry.run_id),
      kept: result.kept,
      bytes: result.bytes,
    });
    return ExitCodes.OK;
  }
  const verb = options.dryRun ? 'would remove' : 'removed';
  for (const entry of result.removed) process.stdout.write(`${verb} ${entry.run_id}\n`);
  process.stdout.write(
    `${result.removed.length} package(s) ${verb} (${formatBytes(result.bytes)}), ${result.kept} kept\n`,
  );
  return ExitCodes.OK;
}
