import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TestServers } from '../../test/setup/server-facts.js';
import { BENCH_TABLE } from './seed-tables.js';

/** Environment variables the connections file reads the passwords from. */
export const PASSWORD_VARIABLES = {
  mysql: 'BENCH_MYSQL_PASSWORD',
  postgres: 'BENCH_POSTGRES_PASSWORD',
} as const;

/** A step of a benchmark pipeline, as OML writes it. */
interface BenchStep {
  id: string;
  component: string;
  mode: 'read' | 'write' | 'transform';
  config: Record<string, unknown>;
}

export const extractFrom = (
  family: 'mysql' | 'postgres',
  limit?: number,
  extra: Record<string, unknown> = {},
): BenchStep => ({
  id: 'extract',
  component: `${family}.extractor`,
  mode: 'read',
  config: {
    connection: `@${family}.bench`,
    table: BENCH_TABLE,
    ...(limit === undefined ? {} : { limit }),
    ...extra,
  },
});

/** Ranges of a `parallel` read in the bench: one per core of a small machine. */
export const BENCH_PARALLEL = 2;

export const readCsv = (path: string): BenchStep => ({
  id: 'extract',
  component: 'filesystem.csv_extractor',
  mode: 'read',
  // Types are sniffed: `columns` would be the faster, exact choice, but the compiler sorts config
  // keys and `columns` maps types to file columns by position, so its order must survive.
  config: { path },
});

export const writeParquet = (path: string): BenchStep => ({
  id: 'load',
  component: 'filesystem.parquet_writer',
  mode: 'write',
  config: { path },
});

export const writeCsv = (path: string): BenchStep => ({
  id: 'load',
  component: 'filesystem.csv_writer',
  mode: 'write',
  config: { path },
});

export const writePostgres = (table: string): BenchStep => ({
  id: 'load',
  component: 'postgres.writer',
  mode: 'write',
  config: { connection: '@postgres.bench', table, write_mode: 'append', create_if_missing: true },
});

/** The project folder users would have: a connections file (passwords by reference) and OML. */
export function createBenchProject(directory: string, servers: TestServers): void {
  mkdirSync(join(directory, 'pipelines'), { recursive: true });
  mkdirSync(join(directory, 'data'), { recursive: true });
  mkdirSync(join(directory, 'output'), { recursive: true });
  const connections: Record<string, unknown> = {};
  for (const family of ['mysql', 'postgres'] as const) {
    const facts = servers[family];
    if (!facts) continue;
    const { host, port, user, database } = facts;
    connections[family] = {
      bench: { default: true, host, port, user, database, password: `\${${PASSWORD_VARIABLES[family]}}` },
    };
  }
  writeFileSync(join(directory, 'osiris_connections.yaml'), stringify({ version: 1, connections }));
}

/** Groups of the processor case: the dimension table it joins to. */
export const PROCESSOR_GROUPS = 100;

/**
 * The processor case: the bench table and a small dimension from PostgreSQL, joined and grouped
 * in a `duckdb.processor` (a join and a GROUP BY over every row), the 100 groups into Parquet.
 */
export function writeProcessorPipeline(directory: string, name: string, output: string): string {
  const document = {
    oml_version: '0.1.0',
    name,
    steps: [
      { ...extractFrom('postgres'), needs: [] },
      {
        id: 'groups',
        component: 'postgres.extractor',
        mode: 'read',
        config: {
          connection: '@postgres.bench',
          query: `SELECT g AS bucket, 'group-' || g AS label FROM generate_series(0, ${PROCESSOR_GROUPS - 1}) AS g`,
        },
        needs: [],
      },
      {
        id: 'summarise',
        component: 'duckdb.processor',
        mode: 'transform',
        config: {
          query:
            `SELECT g.label, count(*) AS orders, sum(e.price) AS revenue, avg(e.score) AS mean_score, ` +
            `count(DISTINCT e.quantity) AS quantities FROM df_extract e JOIN df_groups g ON e.id % ${PROCESSOR_GROUPS} = g.bucket ` +
            'GROUP BY g.label ORDER BY g.label',
        },
        needs: ['extract', 'groups'],
      },
      { ...writeParquet(output), needs: ['summarise'] },
    ],
  };
  const relativePath = `pipelines/${name}.yaml`;
  writeFileSync(join(directory, relativePath), stringify(document));
  return relativePath;
}

/** Write `pipelines/<name>.yaml` (extract, then load) and return its path relative to the project. */
export function writePipeline(directory: string, name: string, extract: BenchStep, load: BenchStep): string {
  const document = {
    oml_version: '0.1.0',
    name,
    steps: [
      { ...extract, needs: [] },
      { ...load, needs: [extract.id] },
    ],
  };
  const relativePath = `pipelines/${name}.yaml`;
  writeFileSync(join(directory, relativePath), stringify(document));
  return relativePath;
}
