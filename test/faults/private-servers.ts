import { spawn } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { onExit } from '../setup/exit-cleanup.js';
import { findFreePort } from '../setup/free-port.js';
import { findMariaDbBinaries } from '../setup/mariadb-server.js';
import { findPostgresBinaries } from '../setup/postgres-server.js';
import { isProcessAlive, isRoot, runCommand, waitForExit, waitUntil } from '../setup/process-tools.js';
import {
  createServerDirectory,
  destroyServerDirectory,
  killServerProcess,
  recordServerPid,
} from '../setup/server-directory.js';
import {
  type DatabaseServerFacts,
  TEST_SERVER_DATABASE,
  TEST_SERVER_PASSWORD,
  TEST_SERVER_USER,
} from '../setup/server-facts.js';

/**
 * A database server owned by one fault-injection test file: it may be killed, frozen (SIGSTOP),
 * thawed and restarted on the same data folder and port without disturbing the shared servers
 * other test files use.
 */
export interface PrivateServer {
  facts: DatabaseServerFacts;
  /** The process that serves connections (mariadbd; the postmaster for PostgreSQL). */
  readonly pid: number;
  /** SIGKILL the server (PostgreSQL: SIGQUIT, an immediate shutdown that drops every session). */
  kill(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets open but answers nothing. */
  freeze(): void;
  thaw(): void;
  /** Start again on the same data and port after kill(). */
  restart(): Promise<void>;
  /** Thawed and running, restarted if need be: what each test starts from. */
  ensureUp(): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export function privateServersAvailable(): { mysql: boolean; postgres: boolean } {
  return { mysql: findMariaDbBinaries() !== undefined, postgres: findPostgresBinaries() !== undefined };
}

/** A fresh MariaDB on loopback with the `osiris` user and an empty `movies` database. */
export async function startPrivateMariaDb(): Promise<PrivateServer> {
  const binaries = findMariaDbBinaries();
  if (!binaries) throw new Error('MariaDB binaries not found');
  const directory = createServerDirectory('mysql-faults');
  const unregister = onExit(() => destroyServerDirectory(directory));
  const dataDirectory = join(directory, 'data');
  const socket = join(directory, 'mysqld.sock');
  const logFile = join(directory, 'mariadbd.log');
  mkdirSync(dataDirectory);
  const userArguments = isRoot() ? ['--user=root'] : [];
  const install = () =>
    runCommand(binaries.installer, [
      '--no-defaults',
      `--datadir=${dataDirectory}`,
      ...userArguments,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  // On a loaded machine the installer now and then fails; once more on an empty folder is enough.
  await install().catch(async () => {
    rmSync(dataDirectory, { recursive: true, force: true });
    mkdirSync(dataDirectory);
    await install();
  });
  const port = await findFreePort();
  let pid = 0;

  const boot = async () => {
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
    pid = child.pid;
    recordServerPid(directory, pid);
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      let log = '';
      try {
        log = readFileSync(logFile, 'utf8').slice(-3000);
      } catch {
        // the folder is already gone (the test is over)
      }
      exited = `mariadbd exited (${signal ?? code}):\n${log}`;
    });
    child.unref();
    const admin = await waitUntil(() => mysql.createConnection({ socketPath: socket, user: 'root' }), {
      timeoutMs: START_TIMEOUT_MS,
      abortIf: () => exited,
    });
    await admin.end();
  };

  try {
    await boot();
    const admin = await mysql.createConnection({ socketPath: socket, user: 'root' });
    try {
      await admin.query(
        `CREATE USER '${TEST_SERVER_USER}'@'%' IDENTIFIED BY ${admin.escape(TEST_SERVER_PASSWORD)}`,
      );
      await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${TEST_SERVER_USER}'@'%' WITH GRANT OPTION`);
      await admin.query(`CREATE DATABASE \`${TEST_SERVER_DATABASE}\` CHARACTER SET utf8mb4`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    unregister();
    destroyServerDirectory(directory);
    throw error;
  }

  return {
    facts: {
      host: '127.0.0.1',
      port,
      user: TEST_SERVER_USER,
      password: TEST_SERVER_PASSWORD,
      database: TEST_SERVER_DATABASE,
    },
    get pid() {
      return pid;
    },
    kill: async () => {
      process.kill(pid, 'SIGCONT');
      killServerProcess(pid);
      await waitForExit(pid, 15_000);
    },
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => process.kill(pid, 'SIGCONT'),
    restart: boot,
    ensureUp: async () => {
      if (!isProcessAlive(pid)) await boot();
      else process.kill(pid, 'SIGCONT');
    },
    stop: async () => {
      if (isProcessAlive(pid)) process.kill(pid, 'SIGCONT');
      unregister();
      destroyServerDirectory(directory);
    },
  };
}

/** A fresh PostgreSQL on loopback with the `osiris` role and an empty `movies` database. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const binaries = findPostgresBinaries();
  if (!binaries) throw new Error('PostgreSQL binaries not found');
  const directory = createServerDirectory('postgres-faults');
  const unregister = onExit(() => destroyServerDirectory(directory));
  const dataDirectory = join(directory, 'data');
  const asServerUser = (command: string, args: string[]) =>
    binaries.runuser
      ? runCommand(binaries.runuser, ['-u', 'postgres', '--', command, ...args])
      : runCommand(command, args);
  let pid = 0;
  const port = await findFreePort();
  const boot = async () => {
    await asServerUser(binaries.pgCtl, [
      '-D',
      dataDirectory,
      '-l',
      join(dataDirectory, 'server.log'),
      '-o',
      [
        `-p ${port}`,
        `-k ${dataDirectory}`,
        '-c listen_addresses=127.0.0.1',
        '-c timezone=UTC',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c shared_buffers=32MB',
      ].join(' '),
      '-w',
      '-t',
      '60',
      'start',
    ]);
    pid = Number.parseInt(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8'), 10);
    recordServerPid(directory, pid);
  };
  try {
    mkdirSync(dataDirectory, { mode: 0o700 });
    if (binaries.runuser) {
      chmodSync(directory, 0o755);
      const uid = Number.parseInt(await runCommand('id', ['-u', 'postgres']), 10);
      const gid = Number.parseInt(await runCommand('id', ['-g', 'postgres']), 10);
      chownSync(dataDirectory, uid, gid);
    }
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
    await boot();
    const admin = new pg.Client({ host: dataDirectory, port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(
        `CREATE ROLE ${TEST_SERVER_USER} LOGIN CREATEDB PASSWORD ${admin.escapeLiteral(TEST_SERVER_PASSWORD)}`,
      );
      await admin.query(`CREATE DATABASE ${TEST_SERVER_DATABASE} OWNER ${TEST_SERVER_USER} ENCODING 'UTF8'`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    unregister();
    destroyServerDirectory(directory);
    throw error;
  }
  // A frozen postmaster still lets the kernel accept connections, and its backends keep serving:
  // freezing means stopping every process of the server, backends included.
  /** Signal every server process; one that has just exited (a backend ending) is no error. */
  const signalAll = (signal: NodeJS.Signals) => {
    for (const each of serverPids()) {
      try {
        process.kill(each, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  };
  const serverPids = () => {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return [pid, ...children.filter(Boolean).map(Number)];
  };
  return {
    facts: {
      host: '127.0.0.1',
      port,
      user: TEST_SERVER_USER,
      password: TEST_SERVER_PASSWORD,
      database: TEST_SERVER_DATABASE,
    },
    get pid() {
      return pid;
    },
    kill: async () => {
      signalAll('SIGCONT');
      killServerProcess(pid);
      await waitForExit(pid, 15_000);
    },
    freeze: () => {
      signalAll('SIGSTOP');
    },
    thaw: () => {
      signalAll('SIGCONT');
    },
    restart: boot,
    ensureUp: async () => {
      if (!isProcessAlive(pid)) await boot();
      else signalAll('SIGCONT');
    },
    stop: async () => {
      if (isProcessAlive(pid)) signalAll('SIGCONT');
      unregister();
      destroyServerDirectory(directory);
    },
  };
}
