import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { onExit } from './exit-cleanup.js';
import { findFreePort } from './free-port.js';
import { loadMoviesIntoMysql } from './load-movies.js';
import type { ManagedServer } from './managed-server.js';
import {
  findExecutable,
  isProcessAlive,
  isRoot,
  runCommand,
  waitForExit,
  waitUntil,
} from './process-tools.js';
import { createServerDirectory, destroyServerDirectory, recordServerPid } from './server-directory.js';
import {
  type DatabaseServerFacts,
  TEST_SERVER_DATABASE,
  TEST_SERVER_PASSWORD,
  TEST_SERVER_USER,
} from './server-facts.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export function findMariaDbBinaries(): { server: string; installer: string } | undefined {
  const server = findExecutable('mariadbd') ?? findExecutable('mysqld');
  const installer = findExecutable('mariadb-install-db') ?? findExecutable('mysql_install_db');
  return server && installer ? { server, installer } : undefined;
}

/** Start a throwaway MariaDB on loopback with the `osiris` user and the movies database loaded. */
export async function startMariaDb(binaries: { server: string; installer: string }): Promise<ManagedServer> {
  const directory = createServerDirectory('mysql');
  // A test run killed half-way must still remove the server's data folder.
  const unregister = onExit(() => destroyServerDirectory(directory));
  try {
    const facts = await bootMariaDb(binaries, directory);
    await loadMoviesIntoMysql(facts);
    return {
      facts,
      stop: async () => {
        await shutdown(directory);
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

async function bootMariaDb(
  binaries: { server: string; installer: string },
  directory: string,
): Promise<DatabaseServerFacts> {
  const dataDirectory = join(directory, 'data');
  const socket = join(directory, 'mysqld.sock');
  const logFile = join(directory, 'mariadbd.log');
  mkdirSync(dataDirectory);
  const userArguments = isRoot() ? ['--user=root'] : [];
  await runCommand(binaries.installer, [
    '--no-defaults',
    `--datadir=${dataDirectory}`,
    ...userArguments,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  const port = await findFreePort();
  const log = openSync(logFile, 'a');
  const child = spawn(
    binaries.server,
    [
      '--no-defaults',
      `--datadir=${dataDirectory}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      ...userArguments,
      `--pid-file=${join(directory, 'mariadbd.pid')}`,
      '--skip-name-resolve',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-buffer-pool-size=64M',
      '--skip-log-bin',
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${binaries.server}`);
  recordServerPid(directory, child.pid);
  let exitDescription: string | undefined;
  child.once('exit', (code, signal) => {
    exitDescription = `mariadbd exited early (${signal ?? code}):\n${readFileSync(logFile, 'utf8').slice(-4000)}`;
  });
  child.unref();

  const admin = await waitUntil(() => mysql.createConnection({ socketPath: socket, user: 'root' }), {
    timeoutMs: START_TIMEOUT_MS,
    abortIf: () => exitDescription,
  });
  try {
    const password = admin.escape(TEST_SERVER_PASSWORD);
    await admin.query(`CREATE USER '${TEST_SERVER_USER}'@'%' IDENTIFIED BY ${password}`);
    // Full rights so integration tests can create scratch databases of their own.
    await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${TEST_SERVER_USER}'@'%' WITH GRANT OPTION`);
    await admin.query(
      `CREATE DATABASE \`${TEST_SERVER_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
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

/** Graceful stop through the admin socket; destroyServerDirectory SIGKILLs it if that stalls. */
async function shutdown(directory: string): Promise<void> {
  const pid = Number.parseInt(readFileSync(join(directory, 'server.pid'), 'utf8'), 10);
  if (!isProcessAlive(pid)) return;
  const admin = await mysql.createConnection({ socketPath: join(directory, 'mysqld.sock'), user: 'root' });
  try {
    await admin.query('SHUTDOWN');
  } finally {
    admin.destroy();
  }
  await waitForExit(pid, STOP_TIMEOUT_MS);
}
