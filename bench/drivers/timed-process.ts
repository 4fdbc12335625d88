import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';

/** GNU time: its `%M` is the child's peak resident set in KiB, measured by the kernel (wait4). */
const GNU_TIME = '/usr/bin/time';
const RSS_POLL_MS = 20;

export interface TimedProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** File that receives the child's stdout (for `client > file` baselines); captured in memory otherwise. */
  stdoutFile?: string;
  /** Scratch file for GNU time's report. */
  scratchFile: string;
  /** Kill the command (and everything it started) after this long; `timedOut` then says so. */
  timeoutMs?: number;
}

export interface TimedProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Wall-clock start, epoch milliseconds, to line the process up with the times in its logs. */
  startedAtMs: number;
  /** Peak RSS of the command, or undefined when it could not be measured. */
  peakRssBytes?: number;
  timedOut: boolean;
}

/** The command running right now, so a Ctrl-C can stop it along with the servers. */
let running: ReturnType<typeof spawn> | undefined;

/** Kill the running command's whole process group: GNU time and the command under it. */
export function stopRunningProcess(): void {
  if (running?.pid === undefined || running.exitCode !== null) return;
  try {
    process.kill(-running.pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Run a command to completion and measure its wall time and peak RSS. The RSS comes from GNU
 * time when installed; otherwise VmHWM is polled from /proc, which can miss a peak shorter
 * than the poll interval but is close enough for processes that run for seconds.
 */
export function runTimed(
  command: string,
  args: readonly string[],
  options: TimedProcessOptions,
): Promise<TimedProcessResult> {
  const useGnuTime = existsSync(GNU_TIME);
  const [program, programArgs] = useGnuTime
    ? [GNU_TIME, ['-f', '%M', '-o', options.scratchFile, command, ...args]]
    : [command, [...args]];
  const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : undefined;
  const started = process.hrtime.bigint();
  const startedAtMs = Date.now();
  const child = spawn(program, programArgs, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    // A process group of its own, so a timeout or Ctrl-C kills the command under GNU time too.
    detached: true,
  });
  running = child;
  if (stdoutFd !== undefined) closeSync(stdoutFd);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let polledPeakKib = 0;
  const poller = useGnuTime
    ? undefined
    : setInterval(() => {
        polledPeakKib = Math.max(polledPeakKib, highWaterMarkKib(child.pid));
      }, RSS_POLL_MS);
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stopRunningProcess();
        }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      if (poller) clearInterval(poller);
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      if (poller) clearInterval(poller);
      clearTimeout(timer);
      running = undefined;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peakKib = useGnuTime ? gnuTimeReportKib(options.scratchFile) : polledPeakKib;
      resolve({
        code,
        stdout,
        stderr,
        seconds,
        startedAtMs,
        timedOut,
        ...(peakKib > 0 ? { peakRssBytes: peakKib * 1024 } : {}),
      });
    });
  });
}

function highWaterMarkKib(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // the process has just exited
  }
}

/** GNU time writes "Command exited with non-zero status N" before the figure on failures. */
function gnuTimeReportKib(file: string): number {
  try {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    return Number(lines.at(-1)) || 0;
  } catch {
    return 0;
  } finally {
    rmSync(file, { force: true });
  }
}
