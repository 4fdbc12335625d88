import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Which process does (or did) some work: enough for a later process on the same machine to tell
 * whether that work's owner is still alive. A pid alone is not enough, because pids are reused;
 * `started` (Linux: the process start time in clock ticks since boot, from /proc) tells a reused
 * pid from the original. Elsewhere `started` is absent and only the pid is checked.
 */
export interface ProcessIdentity {
  pid: number;
  host: string;
  started?: string;
}

export function currentProcess(): ProcessIdentity {
  const started = processStartTicks(process.pid);
  return { pid: process.pid, host: hostname(), ...(started ? { started } : {}) };
}

/** Field 22 of /proc/<pid>/stat (start time); undefined where /proc is not available. */
export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks && /^\d+$/.test(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** True when a process with this pid exists (also when it belongs to another user). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the owner has certainly ended: `true` when it ran on this host and its pid is gone or
 * now belongs to a process started at another time; `false` when it is alive; `undefined` when
 * this process cannot tell (another host).
 */
export function isProcessGone(owner: ProcessIdentity): boolean | undefined {
  if (owner.host !== hostname()) return undefined;
  if (owner.pid === process.pid) return owner.started !== undefined && owner.started !== currentStarted();
  if (!isPidAlive(owner.pid)) return true;
  if (owner.started === undefined) return false;
  const started = processStartTicks(owner.pid);
  return started !== undefined && started !== owner.started;
}

let ownStarted: string | undefined | null = null;
function currentStarted(): string | undefined {
  if (ownStarted === null) ownStarted = processStartTicks(process.pid);
  return ownStarted;
}

/** A short, file-name-safe tag of a host name (temp file names carry it, not the name itself). */
export function hostTag(host: string = hostname()): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}
