// Test support for the MySQL driver tests (not shipped code paths): a real data plane and step
// context wired to an in-memory sink, and a scratch database per test file on the test server.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { createDataPlane, type RunDataPlane } from '../../runtime/data-plane/index.js';
import { createStepContext } from '../../runtime/step-context.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { ColumnInfo, StepContext } from '../../spec/driver.js';

export interface ServerFacts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface RecordedEvent {
  name: string;
  fields: Record<string, unknown>;
}

export interface TestRun {
  dataPlane: RunDataPlane;
  events: RecordedEvent[];
  progress: number[];
  context(stepId: string, options?: { connection?: ResolvedConnection; signal?: AbortSignal }): StepContext;
  close(): Promise<void>;
}

export function mysqlConnection(facts: ServerFacts, overrides: Record<string, unknown> = {}): ResolvedConnection {
  return {
    family: 'mysql',
    alias: 'test',
    ref: '@mysql.test',
    fields: { host: facts.host, port: facts.port, user: facts.user, password: facts.password, database: facts.database, ...overrides },
    secretFields: ['password'],
  };
}

export async function createTestRun(): Promise<TestRun> {
  const directory = await mkdtemp(join(tmpdir(), 'osiris-mysql-test-'));
  const dataPlane = await createDataPlane({ directory, threads: 1 });
  const events: RecordedEvent[] = [];
  const progress: number[] = [];
  const sink = {
    event: (name: string, fields: Record<string, unknown> = {}) => events.push({ name, fields }),
    metric: () => undefined,
    progress: (_stepId: string, rows: number) => progress.push(rows),
  };
  return {
    dataPlane,
    events,
    progress,
    context: (stepId, options = {}) =>
      createStepContext({
        runId: 'run_test',
        stepId,
        projectDir: directory,
        artifactsRoot: join(directory, 'artifacts'),
        signal: options.signal ?? new AbortController().signal,
        dataPlane,
        sink,
        ...(options.connection ? { connection: options.connection } : {}),
      }),
    close: async () => {
      await dataPlane.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Every row of a data-plane table or query, as readChunks yields them. */
export async function readAll(dataPlane: RunDataPlane, sql: string): Promise<{ columns: ColumnInfo[]; rows: unknown[][] }> {
  let columns: ColumnInfo[] = [];
  const rows: unknown[][] = [];
  for await (const chunk of dataPlane.readChunks(sql)) {
    columns = chunk.columns;
    rows.push(...chunk.rows);
  }
  return { columns, rows };
}

/** A database of its own for one test file, so parallel files never see each other's tables. */
export async function createScratchDatabase(facts: ServerFacts): Promise<{ facts: ServerFacts; drop(): Promise<void> }> {
  const name = `osiris_test_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({ ...facts, database: undefined });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    facts: { ...facts, database: name },
    drop: async () => {
      const connection = await mysql.createConnection({ ...facts, database: undefined });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/** A plain mysql2 connection for arranging and checking test data (exact values, UTC). */
export async function openMysql(facts: ServerFacts): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    ...facts,
    charset: 'UTF8MB4_UNICODE_CI',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: 'Z',
  });
  await connection.query("SET time_zone = '+00:00'");
  return connection;
}
