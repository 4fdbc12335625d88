import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunStatusFile } from '../../src/spec/events.js';
import { OSIRIS_BIN } from '../support/cli.js';
import { listFiles } from '../support/project.js';

/** A CLI run under test: its process (for signals) and how it ended. */
export interface FaultRun {
  child: ChildProcess;
  /** Ctrl-C as a terminal sends it: SIGINT to the CLI's whole process group (its worker too). */
  interrupt(): void;
  /** Resolves when the process has exited: its code (null when killed by `hardStopMs`). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts `osiris run` as a user would, with a private TMPDIR (so the test can prove the run's
 * data-plane folder is gone afterwards). A run that hangs is SIGKILLed after `hardStopMs`, so a
 * regression fails the test instead of hanging it.
 */
export function startRun(
  project: string,
  tmp: string,
  args: string[],
  options: { hardStopMs?: number } = {},
): FaultRun {
  const child = spawn(process.execPath, [OSIRIS_BIN, 'run', ...args], {
    cwd: project,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that interrupt() reaches the CLI and its children, as in a terminal.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, options.hardStopMs ?? 45_000);
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, exited, interrupt: () => process.kill(-child.pid!, 'SIGINT') };
}

export async function privateTmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'osiris-faults-tmp-'));
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

export async function runIds(project: string): Promise<string[]> {
  const entries = await readdir(join(project, '.osiris', 'runs')).catch(() => [] as string[]);
  return entries.filter((name) => name.startsWith('run_')).sort();
}

/** status.json of the one run started since `before` was listed. */
export async function newRunStatus(project: string, before: readonly string[]): Promise<RunStatusFile> {
  const added = (await runIds(project)).filter((id) => !before.includes(id));
  expect(added).toHaveLength(1);
  return JSON.parse(await readFile(join(project, '.osiris', 'runs', added[0]!, 'status.json'), 'utf8'));
}

/**
 * What every fault must leave behind: nothing. The old output is byte for byte what it was,
 * there is no hidden temp file beside it, and the run's temp folders are gone.
 */
export async function expectNothingHalfWritten(
  project: string,
  tmp: string,
  output: string,
  outputHash: string,
): Promise<void> {
  expect(await sha256(join(project, output))).toBe(outputHash);
  const leftovers = (await listFiles(join(project, 'out'))).filter((file) => file.includes('.tmp-'));
  expect(leftovers).toEqual([]);
  expect(await readdir(tmp)).toEqual([]);
}
