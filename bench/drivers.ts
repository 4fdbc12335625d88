/**
 * The database driver benchmark (issue 4, "Performance"). Run with:
 *
 *   npm run bench -- [--rows 5000000] [--repeat 1] [--large-rows 20000000] [--processor-reference S]
 *                    [--skip-build] [--cpu-prof]
 *
 * The run ends with issue 15's checks overhead (bench/checks-overhead.ts at the same --rows).
 *
 * `--large-rows N` reseeds the tables with N rows after the main cases and runs both Parquet
 * pipelines again: their peak RSS must be no higher than at `--rows` (issue 13's flatness run).
 * `--processor-reference S` is the processor case's wall time in an earlier run (e.g. before a
 * change), for its "nothing gets slower" verdict.
 *
 * `--cpu-prof` writes a V8 CPU profile of every Osiris run to bench/out/profiles/<pipeline>/
 * (open it in Chrome DevTools or VS Code); the figures of a profiled run are a little slower.
 *
 * Starts a private MariaDB and PostgreSQL (or uses OSIRIS_TEST_MYSQL_URL / OSIRIS_TEST_POSTGRES_URL),
 * creates the same N-row table in both, then times Osiris pipelines run the way users run them
 * (`osiris run … --json` in a project folder) next to the stock clients on the same table:
 * `mariadb --quick -B -e 'select …' > file` and `psql -c "\copy … to file csv"`.
 * Figures to compare, never assertions. Results and their analysis live in bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { onExit } from '../test/setup/exit-cleanup.js';
import { runCommand } from '../test/setup/process-tools.js';
import { startTestServers } from '../test/setup/servers.js';
import { measureMariaDbClient, measurePsqlCopy } from './drivers/baselines.js';
import { runBenchCases, runParquetFlatness } from './drivers/bench-cases.js';
import { createBenchProject, PASSWORD_VARIABLES } from './drivers/bench-project.js';
import { describeMachine, loadAverage, renderMachine } from './drivers/machine-facts.js';
import type { Measurement } from './drivers/measurement.js';
import {
  type BenchResults,
  checkTargets,
  renderResultsTable,
  renderTargets,
} from './drivers/results-table.js';
import {
  BENCH_TABLE,
  dropMariaDbTable,
  dropPostgresTable,
  seedMariaDb,
  seedPostgres,
} from './drivers/seed-tables.js';
import { stopRunningProcess } from './drivers/timed-process.js';

const REPOSITORY = fileURLToPath(new URL('..', import.meta.url));
const FLATNESS_ROWS = 1_000_000;

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000000' },
    repeat: { type: 'string', default: '1' },
    'large-rows': { type: 'string' },
    'processor-reference': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const repeat = Number(values.repeat);
const largeRows = values['large-rows'] === undefined ? undefined : Number(values['large-rows']);
const processorReference =
  values['processor-reference'] === undefined ? undefined : Number(values['processor-reference']);
if (
  !Number.isInteger(rows) ||
  rows < 10 ||
  !Number.isInteger(repeat) ||
  repeat < 1 ||
  (largeRows !== undefined && (!Number.isInteger(largeRows) || largeRows <= rows)) ||
  (processorReference !== undefined && !(processorReference > 0))
) {
  process.stderr.write(
    'usage: npm run bench -- [--rows N ≥ 10] [--repeat K ≥ 1] [--large-rows M > N] [--processor-reference SECONDS] [--skip-build] [--cpu-prof]\n',
  );
  // Bad arguments: the usage line above says what to change; 2 is the CLI's invalid-input code.
  process.exit(2);
}
// Flatness compares 1 M rows with N; with N at or below 1 M the smaller run takes a fifth of N.
const smallRows = rows > FLATNESS_ROWS ? FLATNESS_ROWS : Math.floor(rows / 5);

const say = (message: string) => process.stderr.write(`${message}\n`);

/** The CLI runs from dist/: build it from the current sources (type errors elsewhere still emit). */
async function build(): Promise<void> {
  if (values['skip-build']) return;
  say('building dist/ …');
  try {
    await runCommand(
      process.execPath,
      [join(REPOSITORY, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: REPOSITORY,
      },
    );
  } catch (error) {
    if (!existsSync(join(REPOSITORY, 'dist/cli/main.js'))) throw error;
    say('  tsc reported errors (files in progress elsewhere); dist/ was still emitted, going on');
  }
}

/** Repeat a measurement and keep the run with the median wall time (noise on a shared machine). */
async function median(measure: () => Promise<Measurement>): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let attempt = 0; attempt < repeat; attempt++) {
    const measurement = await measure();
    say(`  ${measurement.name}: ${measurement.skipped ?? `${measurement.seconds?.toFixed(2)} s`}`);
    runs.push(measurement);
    if (measurement.skipped) return measurement;
  }
  runs.sort((left, right) => (left.seconds ?? 0) - (right.seconds ?? 0));
  return runs[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  await build();
  const loadBefore = loadAverage();
  say(`starting servers … (load average ${loadBefore})`);
  const running = await startTestServers();
  const { servers } = running;
  const project = mkdtempSync(join(tmpdir(), 'osiris-bench-'));
  // Ctrl-C or a crash mid-bench must not leave servers running or a temp project behind.
  const unregister = onExit(() => {
    stopRunningProcess();
    rmSync(project, { recursive: true, force: true });
  });
  try {
    for (const [family, reason] of Object.entries(servers.unavailable))
      say(`  no ${family} server: ${reason}`);
    const machine = await describeMachine(servers);

    say(`creating ${rows.toLocaleString('en-US')} rows in ${BENCH_TABLE} …`);
    const seedStarted = Date.now();
    await Promise.all([
      servers.mysql ? seedMariaDb(servers.mysql, rows) : undefined,
      servers.postgres ? seedPostgres(servers.postgres, rows) : undefined,
    ]);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    say(`  done in ${seedSeconds.toFixed(1)} s`);

    createBenchProject(project, servers);
    // Osiris keeps its data plane (and named pipes) under the temp folder: inside the project,
    // a run killed for hanging leaves nothing behind once the project is deleted.
    const scratch = join(project, 'tmp');
    mkdirSync(scratch);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: scratch,
      [PASSWORD_VARIABLES.mysql]: servers.mysql?.password ?? '',
      [PASSWORD_VARIABLES.postgres]: servers.postgres?.password ?? '',
      OSIRIS_HOME: undefined,
      NO_COLOR: '1',
    };
    const measurements = await runBenchCases({
      servers,
      project,
      env,
      rows,
      smallRows,
      measure: median,
      ...(values['cpu-prof'] ? { cpuProfileDirectory: join(REPOSITORY, 'bench/out/profiles') } : {}),
      baselines: {
        mariadb: () =>
          servers.mysql
            ? measureMariaDbClient(servers.mysql, rows, project)
            : Promise.resolve({ name: 'mariadb client', rows, skipped: 'no MySQL server' }),
        psql: () =>
          servers.postgres
            ? measurePsqlCopy(servers.postgres, rows, project)
            : Promise.resolve({ name: 'psql \\copy', rows, skipped: 'no PostgreSQL server' }),
      },
    });
    let largeRuns: Measurement[] | undefined;
    if (largeRows !== undefined) {
      say(`creating ${largeRows.toLocaleString('en-US')} rows in ${BENCH_TABLE} for the flatness run …`);
      await Promise.all([
        servers.mysql ? seedMariaDb(servers.mysql, largeRows) : undefined,
        servers.postgres ? seedPostgres(servers.postgres, largeRows) : undefined,
      ]);
      largeRuns = await runParquetFlatness(
        { servers, project, env, rows: largeRows, measure: median },
        'large',
      );
    }
    const results: BenchResults = {
      rows,
      smallRows,
      ...measurements,
      ...(largeRuns ? { largeRuns, largeRows } : {}),
      ...(processorReference === undefined ? {} : { processorReferenceSeconds: processorReference }),
    };
    const loadAfter = loadAverage();

    const report = [
      '',
      `Osiris driver benchmark, ${new Date().toISOString()}: ${rows.toLocaleString('en-US')} rows, ` +
        `median of ${repeat} run(s) each; table created in ${seedSeconds.toFixed(1)} s`,
      renderMachine(machine),
      `load average (1/5/15 min): ${loadBefore} before, ${loadAfter} after`,
      '',
      renderResultsTable(results),
      '',
      renderTargets(checkTargets(results)),
      '',
    ].join('\n');
    process.stdout.write(report);
    // Issue 15's row: unique + not_null on the key, against the same pipeline without checks.
    say('checks overhead …');
    const checks = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPOSITORY, 'bench', 'checks-overhead.ts'),
        '--rows',
        String(rows),
        '--repeat',
        String(repeat),
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (checks.status !== 0)
      process.stdout.write(`checks overhead: the bench failed (exit ${checks.status})\n`);

    if (servers.mysql) await dropMariaDbTable(servers.mysql, BENCH_TABLE);
    if (servers.postgres) {
      for (const table of [BENCH_TABLE, 'bench_from_csv', 'bench_from_mysql']) {
        await dropPostgresTable(servers.postgres, table);
      }
    }
  } finally {
    say('stopping servers …');
    unregister();
    rmSync(project, { recursive: true, force: true });
    await running.stop();
  }
}

await main();
