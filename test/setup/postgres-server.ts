import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { onExit } from './exit-cleanup.js';
import { findFreePort } from './free-port.js';
import { loadMoviesIntoPostgres } from './load-movies.js';
import type { ManagedServer } from './managed-server.js';
import { findExecutable, isRoot, runCommand } from './process-tools.js';
import { createServerDirectory, destroyServerDirectory, recordServerPid } from './server-directory.js';
import {
  type DatabaseServerFacts,
  TEST_SERVER_DATABASE,
  TEST_SERVER_PASSWORD,
  TEST_SERVER_USER,
} from './server-facts.js';

const CANDIDATE_BIN_DIRECTORIES = [15, 16, 17, 14].map((version) => `/usr/lib/postgresql/${version}/bin`);

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
  /** `runuser` when we are root (initdb refuses to run as root). */
  runuser?: string;
}

export function findPostgresBinaries(): PostgresBinaries | undefined {
  const directories = [process.env.OSIRIS_TEST_PG_BIN ?? '', ...CANDIDATE_BIN_DIRECTORIES].filter(
    (directory) => directory && existsSync(join(directory, 'initdb')),
  );
  const initdb = findExecutable('initdb', directories);
  const pgCtl = findExecutable('pg_ctl', directories);
  if (!initdb || !pgCtl) return undefined;
  if (!isRoot()) return { initdb, pgCtl };
  const runuser = findExecutable('runuser');
  return runuser ? { initdb, pgCtl, runuser } : undefined;
}

/** Start a throwaway PostgreSQL on loopback with the `osiris` role and the movies database loaded. */
export async function startPostgres(binaries: PostgresBinaries): Promise<ManagedServer> {
  const directory = createServerDirectory('postgres');
  // A test run killed half-way must still remove the server's data folder.
  const unregister = onExit(() => destroyServerDirectory(directory));
  const dataDirectory = join(directory, 'data');
  const asServerUser = (command: string, args: string[]) =>
    binaries.runuser
      ? runCommand(binaries.runuser, ['-u', 'postgres', '--', command, ...args])
      : runCommand(command, args);
  try {
    const facts = await bootPostgres(binaries, directory, dataDirectory, asServerUser);
    await loadMoviesIntoPostgres(facts);
    return {
      facts,
      stop: async () => {
        await asServerUser(binaries.pgCtl, ['-D', dataDirectory, '-m', 'fast', '-w', 'stop']);
        unregister();
        destroyServerDirectory(directory);
      },
    };
  } catch (error) {
    unregister();
    destroyServerDirectory(directory);
    throw error;
  }
}

async function bootPostgres(
  binaries: PostgresBinaries,
  directory: string,
  dataDirectory: string,
  asServerUser: (command: string, args: string[]) => Promise<string>,
): Promise<DatabaseServerFacts> {
  mkdirSync(dataDirectory, { mode: 0o700 });
  if (binaries.runuser) {
    // The postgres user must reach and own its data folder inside our root-owned temp folder.
    chmodSync(directory, 0o755);
    const [uid, gid] = await serverUserIds();
    chownSync(dataDirectory, uid, gid);
  }
  // Local socket: trust (for our admin connection); TCP: password, so wrong passwords really fail.
  await asServerUser(binaries.initdb, [
    '-D',
    dataDirectory,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  const port = await findFreePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dataDirectory}`,
    '-c listen_addresses=127.0.0.1',
    '-c timezone=UTC',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=32MB',
  ].join(' ');
  await asServerUser(binaries.pgCtl, [
    '-D',
    dataDirectory,
    '-l',
    join(dataDirectory, 'server.log'),
    '-o',
    serverOptions,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  const postmasterPid = Number.parseInt(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8'), 10);
  recordServerPid(directory, postmasterPid);

  const admin = new pg.Client({ host: dataDirectory, port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    const password = admin.escapeLiteral(TEST_SERVER_PASSWORD);
    await admin.query(`CREATE ROLE ${TEST_SERVER_USER} LOGIN CREATEDB PASSWORD ${password}`);
    await admin.query(`CREATE DATABASE ${TEST_SERVER_DATABASE} OWNER ${TEST_SERVER_USER} ENCODING 'UTF8'`);
  } finally {
    await admin.end();
  }
  return {
    host: '127.0.0.1',
    port,
    user: TEST_SERVER_USER,
    password: TEST_SERVER_PASSWORD,
    database: TEST_SERVER_DATABASE,
  };
}

async function serverUserIds(): Promise<[number, number]> {
  const uid = Number.parseInt(await runCommand('id', ['-u', 'postgres']), 10);
  const gid = Number.parseInt(await runCommand('id', ['-g', 'postgres']), 10);
  return [uid, gid];
}
