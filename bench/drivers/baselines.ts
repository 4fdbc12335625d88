import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findExecutable } from '../../test/setup/process-tools.js';
import type { DatabaseServerFacts } from '../../test/setup/server-facts.js';
import type { Measurement } from './measurement.js';
import { BENCH_TABLE } from './seed-tables.js';
import { runTimed } from './timed-process.js';

/**
 * What the stock command-line clients achieve on the same table, server and machine: the
 * yardstick for the extractors. Passwords travel in the environment (MYSQL_PWD, PGPASSWORD),
 * never on a command line other users could read in `ps`.
 */
export async function measureMariaDbClient(
  facts: DatabaseServerFacts,
  rows: number,
  workDirectory: string,
): Promise<Measurement> {
  const client = findExecutable('mariadb') ?? findExecutable('mysql');
  if (!client) return { name: 'mariadb client', rows, skipped: 'no mariadb/mysql client on PATH' };
  const output = join(workDirectory, 'mariadb-client.tsv');
  const result = await runTimed(
    client,
    [
      '--no-defaults',
      '--quick',
      '--batch',
      `--host=${facts.host}`,
      `--port=${facts.port}`,
      `--user=${facts.user}`,
      facts.database,
      '-e',
      `select * from ${BENCH_TABLE}`,
    ],
    {
      env: { ...process.env, MYSQL_PWD: facts.password },
      stdoutFile: output,
      scratchFile: join(workDirectory, 'time-mariadb.txt'),
    },
  );
  return finish('mariadb --quick -B > file', rows, result, output);
}

export async function measurePsqlCopy(
  facts: DatabaseServerFacts,
  rows: number,
  workDirectory: string,
): Promise<Measurement> {
  const client = findExecutable('psql', ['/usr/lib/postgresql/15/bin']);
  if (!client) return { name: 'psql \\copy', rows, skipped: 'no psql on PATH' };
  const output = join(workDirectory, 'psql-copy.csv');
  const result = await runTimed(
    client,
    [
      '--no-psqlrc',
      `--host=${facts.host}`,
      `--port=${facts.port}`,
      `--username=${facts.user}`,
      `--dbname=${facts.database}`,
      '-c',
      `\\copy ${BENCH_TABLE} to '${output}' csv`,
    ],
    {
      env: { ...process.env, PGPASSWORD: facts.password },
      scratchFile: join(workDirectory, 'time-psql.txt'),
    },
  );
  return finish('psql \\copy to file csv', rows, result, output);
}

function finish(
  name: string,
  rows: number,
  result: Awaited<ReturnType<typeof runTimed>>,
  output: string,
): Measurement {
  try {
    if (result.code !== 0) {
      return { name, rows, skipped: `exited with ${result.code}: ${result.stderr.trim().slice(0, 300)}` };
    }
    return {
      name,
      rows,
      seconds: result.seconds,
      bytes: statSync(output).size,
      ...(result.peakRssBytes === undefined ? {} : { peakRssBytes: result.peakRssBytes }),
    };
  } finally {
    rmSync(output, { force: true });
  }
}
