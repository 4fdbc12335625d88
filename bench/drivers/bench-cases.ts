import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import type { DatabaseServerFacts, TestServers } from '../../test/setup/server-facts.js';
import {
  BENCH_PARALLEL,
  extractFrom,
  PROCESSOR_GROUPS,
  readCsv,
  writeCsv,
  writeParquet,
  writePipeline,
  writePostgres,
  writeProcessorPipeline,
} from './bench-project.js';
import type { Measurement } from './measurement.js';
import { measureOsirisRun } from './osiris-run.js';
import { BENCH_TABLE, dropPostgresTable } from './seed-tables.js';

export interface BenchCaseOptions {
  servers: TestServers;
  project: string;
  env: NodeJS.ProcessEnv;
  rows: number;
  smallRows: number;
  /** Wraps every measurement (repeats, progress lines). */
  measure: (run: () => Promise<Measurement>) => Promise<Measurement>;
  baselines: { mariadb: () => Promise<Measurement>; psql: () => Promise<Measurement> };
  /** Profile every Osiris run into `<folder>/<pipeline>/` (CPU profiles slow runs down a little). */
  cpuProfileDirectory?: string;
}

export interface BenchCaseResults {
  baselines: { mariadb: Measurement; psql: Measurement };
  transfers: Measurement[];
  smallRuns: Measurement[];
  /** The processor case: join + GROUP BY over every row, then Parquet. */
  processor: Measurement;
}

/**
 * Generous: a minute plus 10,000 rows/s, several times slower than any figure measured so far.
 * It only exists so a hung run cannot stall the bench forever.
 */
const runTimeoutMs = (rows: number): number => 60_000 + rows / 10;

/** The CSV that PostgreSQL → CSV writes and CSV → PostgreSQL reads back. */
const CSV_HANDOVER = 'output/postgres-to-csv.csv';

/**
 * Every measurement, in an order that keeps each baseline next to the transfers compared with
 * it (the shared machine's load drifts). Files are removed as soon as a case is done.
 */
export async function runBenchCases(options: BenchCaseOptions): Promise<BenchCaseResults> {
  const { servers, project, env, rows, smallRows, measure } = options;
  const skip = (name: string, family: string, count = rows): Measurement => ({
    name,
    rows: count,
    skipped: `no ${family} server`,
  });
  const runOnce = (
    name: string,
    pipeline: string,
    expectedRows: number,
    output?: string,
    keepOutputs = false,
  ) =>
    measureOsirisRun({
      name,
      projectDirectory: project,
      pipeline,
      expectedRows,
      timeoutMs: runTimeoutMs(expectedRows),
      env,
      ...(output ? { outputs: [output] } : {}),
      ...(options.cpuProfileDirectory
        ? {
            cpuProfileDirectory: join(
              options.cpuProfileDirectory,
              pipeline.replace(/^pipelines\/|\.yaml$/g, ''),
            ),
          }
        : {}),
      keepOutputs,
    });
  const run = (name: string, pipeline: string, expectedRows: number, output?: string, keepOutputs = false) =>
    measure(() => runOnce(name, pipeline, expectedRows, output, keepOutputs));

  const transfers: Measurement[] = [];
  const smallRuns: Measurement[] = [];
  /** A database table to Parquet, read in one stream or with the extractor's extra config. */
  const parquetRun = (family: 'mysql' | 'postgres', extra: { parallel?: number } = {}) => {
    const suffix = extra.parallel ? '-parallel' : '';
    const output = `output/${family}${suffix}.parquet`;
    const pipeline = writePipeline(
      project,
      `${family}-to-parquet${suffix}`,
      extractFrom(family, undefined, extra),
      writeParquet(output),
    );
    const label = `${family === 'mysql' ? 'MySQL' : 'PostgreSQL'} → Parquet`;
    return run(extra.parallel ? `${label} (parallel: ${extra.parallel})` : label, pipeline, rows, output);
  };

  const mariadb = await measure(options.baselines.mariadb);
  if (servers.mysql) {
    transfers.push(await parquetRun('mysql'));
    transfers.push(await parquetRun('mysql', { parallel: BENCH_PARALLEL }));
    const mysqlCsv = writePipeline(
      project,
      'mysql-to-csv',
      extractFrom('mysql'),
      writeCsv('output/mysql.csv'),
    );
    transfers.push(await run('MySQL → CSV', mysqlCsv, rows, 'output/mysql.csv'));
  } else {
    transfers.push(
      skip('MySQL → Parquet', 'MySQL'),
      skip(`MySQL → Parquet (parallel: ${BENCH_PARALLEL})`, 'MySQL'),
      skip('MySQL → CSV', 'MySQL'),
    );
  }

  const psql = await measure(options.baselines.psql);
  if (servers.postgres) {
    transfers.push(await parquetRun('postgres'));
    transfers.push(await parquetRun('postgres', { parallel: BENCH_PARALLEL }));
    const postgresCsv = writePipeline(
      project,
      'postgres-to-csv',
      extractFrom('postgres'),
      writeCsv(CSV_HANDOVER),
    );
    const csvRun = await run('PostgreSQL → CSV', postgresCsv, rows, CSV_HANDOVER, true);
    transfers.push(csvRun);

    const csvPostgres = writePipeline(
      project,
      'csv-to-postgres',
      readCsv(CSV_HANDOVER),
      writePostgres('bench_from_csv'),
    );
    if (csvRun.skipped)
      transfers.push({ name: 'CSV → PostgreSQL', rows, skipped: 'no CSV: PostgreSQL → CSV failed' });
    else {
      transfers.push(
        await measure(async () => {
          await dropPostgresTable(servers.postgres!, 'bench_from_csv');
          return runOnce('CSV → PostgreSQL', csvPostgres, rows);
        }),
      );
    }
    rmSync(join(project, CSV_HANDOVER), { force: true });
    await dropPostgresTable(servers.postgres, 'bench_from_csv');
  } else {
    transfers.push(
      skip('PostgreSQL → Parquet', 'PostgreSQL'),
      skip(`PostgreSQL → Parquet (parallel: ${BENCH_PARALLEL})`, 'PostgreSQL'),
      skip('PostgreSQL → CSV', 'PostgreSQL'),
      skip('CSV → PostgreSQL', 'PostgreSQL'),
    );
  }

  if (servers.mysql && servers.postgres) {
    const mysqlPostgres = writePipeline(
      project,
      'mysql-to-postgres',
      extractFrom('mysql'),
      writePostgres('bench_from_mysql'),
    );
    transfers.push(
      await measure(async () => {
        await dropPostgresTable(servers.postgres!, 'bench_from_mysql');
        return runOnce('MySQL → PostgreSQL', mysqlPostgres, rows);
      }),
    );
    await dropPostgresTable(servers.postgres, 'bench_from_mysql');
  } else {
    transfers.push(skip('MySQL → PostgreSQL', 'MySQL or PostgreSQL'));
  }

  let processor: Measurement = skip('processor: join + GROUP BY → Parquet', 'PostgreSQL');
  if (servers.postgres) {
    const pipeline = writeProcessorPipeline(project, 'postgres-processor', 'output/processor.parquet');
    processor = await measure(() =>
      measureOsirisRun({
        name: 'processor: join + GROUP BY → Parquet',
        projectDirectory: project,
        pipeline,
        expectedRows: PROCESSOR_GROUPS,
        rowsRead: rows,
        timeoutMs: runTimeoutMs(rows),
        env,
        outputs: ['output/processor.parquet'],
      }),
    );
  }

  // Flatness: the same Parquet pipelines on the first `smallRows` rows.
  smallRuns.push(...(await runParquetFlatness({ ...options, rows: smallRows }, 'small')));

  // Incremental (issue 12), last because it changes 1 % of the MySQL table: a first run loads
  // everything and stores the cursor, then a second run after the change reads only the window.
  if (servers.mysql && servers.postgres) {
    const incremental = writePipeline(
      project,
      'mysql-to-postgres-incremental',
      {
        ...extractFrom('mysql'),
        config: { ...extractFrom('mysql').config, incremental: { cursor: 'created_at' } },
      },
      {
        ...writePostgres('bench_incremental'),
        config: {
          connection: '@postgres.bench',
          table: 'bench_incremental',
          write_mode: 'upsert',
          primary_key: 'id',
        },
      },
    );
    await dropPostgresTable(servers.postgres, 'bench_incremental');
    rmSync(join(project, '.osiris', 'state.db'), { force: true });
    transfers.push(await runOnce('MySQL → PostgreSQL incremental, first run', incremental, rows));
    const windowRows = await changeOnePercent(servers.mysql, rows);
    transfers.push(await runOnce('MySQL → PostgreSQL incremental, 1 % changed', incremental, windowRows));
    await dropPostgresTable(servers.postgres, 'bench_incremental');
  } else {
    transfers.push(skip('MySQL → PostgreSQL incremental, 1 % changed', 'MySQL or PostgreSQL'));
  }

  return { baselines: { mariadb, psql }, transfers, smallRuns, processor };
}

/**
 * MySQL → Parquet and PostgreSQL → Parquet on the first `rows` rows of the bench table (the
 * flatness runs: peak RSS must not grow with the row count).
 */
export async function runParquetFlatness(
  options: Pick<BenchCaseOptions, 'servers' | 'project' | 'env' | 'rows' | 'measure'>,
  label: string,
): Promise<Measurement[]> {
  const { servers, project, env, rows, measure } = options;
  const runs: Measurement[] = [];
  for (const family of ['mysql', 'postgres'] as const) {
    const name = family === 'mysql' ? 'MySQL → Parquet' : 'PostgreSQL → Parquet';
    if (!servers[family]) {
      runs.push({ name, rows, skipped: `no ${family} server` });
      continue;
    }
    const output = `output/${family}-${label}.parquet`;
    const pipeline = writePipeline(
      project,
      `${family}-to-parquet-${label}`,
      extractFrom(family, rows),
      writeParquet(output),
    );
    runs.push(
      await measure(() =>
        measureOsirisRun({
          name,
          projectDirectory: project,
          pipeline,
          expectedRows: rows,
          timeoutMs: runTimeoutMs(rows),
          env,
          outputs: [output],
        }),
      ),
    );
  }
  return runs;
}

/**
 * Bumps the cursor (created_at, one second per row from 2020-01-01) of every 100th row past the
 * newest one; returns the rows the next incremental run reads (those, plus the row at the old max).
 */
async function changeOnePercent(facts: DatabaseServerFacts, rows: number): Promise<number> {
  const connection = await mysql.createConnection({ ...facts });
  try {
    await connection.query(
      `UPDATE ${BENCH_TABLE} SET created_at = created_at + INTERVAL ${rows + 1} SECOND, price = price + 0.01 WHERE id % 100 = 0`,
    );
    const [result] = await connection.query(
      `SELECT COUNT(*) AS n FROM ${BENCH_TABLE} WHERE created_at >= TIMESTAMP'2020-01-01 00:00:00' + INTERVAL ${rows} SECOND`,
    );
    return Number((result as Array<{ n: number }>)[0]?.n ?? 0);
  } finally {
    await connection.end();
  }
}
