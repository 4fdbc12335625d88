import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunStatusFile } from '../../src/spec/events.js';
import type { Measurement } from './measurement.js';
import { runTimed } from './timed-process.js';

const OSIRIS_BIN = fileURLToPath(new URL('../../bin/osiris.js', import.meta.url));

interface MetricLine {
  metric: string;
  value: number;
  step_id?: string;
}

interface EventLine {
  ts: string;
  event: string;
  step_id?: string;
  duration_ms?: number;
}

export interface OsirisRunOptions {
  /** Shown in the table, e.g. `MySQL → Parquet`. */
  name: string;
  projectDirectory: string;
  pipeline: string;
  /** Rows the pipeline's `load` step must write; a different count is reported as a failure. */
  expectedRows: number;
  /** Rows the run reads, when the load writes fewer (an aggregation): rows/s counts these. */
  rowsRead?: number;
  /** A run still going after this long is killed and reported as hung. */
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  /** Files the run writes, removed afterwards unless kept for a later case. */
  outputs?: string[];
  keepOutputs?: boolean;
  /** When set, the run writes a V8 CPU profile (`node --cpu-prof`) into this folder. */
  cpuProfileDirectory?: string;
}

/**
 * Run a pipeline the way a user does (`osiris run … --json` in the project folder, a process of
 * its own) and read rows and peak RSS from the run's metrics.jsonl. The run session is removed
 * afterwards so the runs of a 5 M-row bench do not fill the disk.
 */
export async function measureOsirisRun(options: OsirisRunOptions): Promise<Measurement> {
  const { name, projectDirectory } = options;
  const profiling = options.cpuProfileDirectory
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDirectory}`]
    : [];
  const result = await runTimed(
    process.execPath,
    [...profiling, OSIRIS_BIN, 'run', options.pipeline, '--json'],
    {
      cwd: projectDirectory,
      env: options.env,
      scratchFile: join(projectDirectory, 'time-osiris.txt'),
      timeoutMs: options.timeoutMs,
    },
  );
  if (result.timedOut) {
    return {
      name,
      rows: options.expectedRows,
      skipped: `killed after ${Math.round(options.timeoutMs / 1000)} s without finishing (hung?)`,
    };
  }
  let status: RunStatusFile;
  try {
    status = JSON.parse(result.stdout) as RunStatusFile;
  } catch {
    return {
      name,
      rows: options.expectedRows,
      skipped: `osiris exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 400)}`,
    };
  }
  const sessionDirectory = join(projectDirectory, status.session_dir);
  try {
    if (status.status !== 'success') {
      const error = status.error ? `${status.error.code}: ${status.error.message}` : status.status;
      return { name, rows: options.expectedRows, skipped: `run ${status.status}: ${error.slice(0, 400)}` };
    }
    const metrics = readJsonLines<MetricLine>(join(sessionDirectory, 'metrics.jsonl'));
    const written = metrics.find((metric) => metric.metric === 'rows_written' && metric.step_id === 'load');
    const peak = metrics.find((metric) => metric.metric === 'peak_rss_bytes');
    const rows = written?.value ?? 0;
    if (rows !== options.expectedRows) {
      return { name, rows, skipped: `moved ${rows} rows, expected ${options.expectedRows}` };
    }
    const events = readJsonLines<EventLine>(join(sessionDirectory, 'events.jsonl'));
    const output = options.outputs?.[0] ? join(projectDirectory, options.outputs[0]) : undefined;
    return {
      name,
      rows: options.rowsRead ?? rows,
      seconds: result.seconds,
      phases: phasesOf(events, result.startedAtMs, result.seconds),
      ...(output && existsSync(output) ? { bytes: statSync(output).size } : {}),
      ...(peak ? { peakRssBytes: peak.value } : {}),
    };
  } finally {
    rmSync(sessionDirectory, { recursive: true, force: true });
    if (!options.keepOutputs) {
      for (const output of options.outputs ?? []) rmSync(join(projectDirectory, output), { force: true });
    }
  }
}

/**
 * Where the wall time went, from the run's events: start-up (Node, module loading, compile) up to
 * run_start, each step, teardown (closing the data plane) up to run_complete, and process exit.
 */
function phasesOf(events: EventLine[], startedAtMs: number, seconds: number): Record<string, number> {
  const time = (event: EventLine | undefined) => (event ? Date.parse(event.ts) : undefined);
  const runStart = time(events.find((event) => event.event === 'run_start'));
  const runComplete = time(events.find((event) => event.event === 'run_complete'));
  const steps = events.filter((event) => event.event === 'step_complete');
  const lastStep = time(steps.at(-1));
  const phases: Record<string, number> = {};
  if (runStart !== undefined) phases['start-up'] = (runStart - startedAtMs) / 1000;
  for (const step of steps) phases[step.step_id ?? 'step'] = (step.duration_ms ?? 0) / 1000;
  if (lastStep !== undefined && runComplete !== undefined) phases.teardown = (runComplete - lastStep) / 1000;
  if (runComplete !== undefined) phases.exit = (startedAtMs + seconds * 1000 - runComplete) / 1000;
  return phases;
}

function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}
