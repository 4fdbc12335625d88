import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './process-tools.js';

const PREFIX = 'osiris-test-db-';
const OWNER_FILE = 'owner.pid';
const SERVER_FILE = 'server.pid';

/** A temp folder for one server, marked with the test run's pid so a later run can reap it. */
export function createServerDirectory(family: string): string {
  const directory = mkdtempSync(join(tmpdir(), `${PREFIX}${family}-`));
  writeFileSync(join(directory, OWNER_FILE), String(process.pid));
  return directory;
}

export function recordServerPid(directory: string, pid: number): void {
  writeFileSync(join(directory, SERVER_FILE), String(pid));
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stop a server at once, but only if the pid still belongs to a database process (pids get
 * reused). PostgreSQL gets SIGQUIT (immediate shutdown, which also releases its shared memory).
 */
export function killServerProcess(pid: number): void {
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // already gone
  }
  if (!/mariadbd|mysqld|postgres/.test(commandLine)) return;
  try {
    process.kill(pid, commandLine.includes('postgres') ? 'SIGQUIT' : 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Remove a server folder, killing its server first. Synchronous: it also runs from `exit`. */
export function destroyServerDirectory(directory: string): void {
  const serverPid = readPid(join(directory, SERVER_FILE));
  if (serverPid !== undefined) killServerProcess(serverPid);
  rmSync(directory, { recursive: true, force: true });
}

/**
 * Folders left by test runs that died without teardown (SIGKILL, OOM): kill their servers and
 * delete them, so a crashed run never leaves a database holding memory on a shared machine.
 */
export function reapOrphanedServerDirectories(): void {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const directory = join(tmpdir(), entry);
    const owner = readPid(join(directory, OWNER_FILE));
    if (owner !== undefined && isProcessAlive(owner)) continue;
    destroyServerDirectory(directory);
  }
}
