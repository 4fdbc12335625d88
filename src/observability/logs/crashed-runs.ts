import { appendFile, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ErrorCodes } from '../../spec/errors.js';
import type { RunEvent, RunStatusFile, StepSummary } from '../../spec/events.js';
import type { Manifest } from '../../spec/manifest.js';
import { removeStaleTempFiles, writeFileAtomic } from '../../util/atomic-file.js';
import { isProcessGone } from '../../util/process-identity.js';
import { resolveProjectPath } from '../../util/project-path.js';
import { RUN_TEMP_FOLDER_KINDS, runTempFolderPrefix } from '../../util/run-temp-folder.js';
import type { RunIndex, RunIndexRow } from '../run-index.js';
import { readJsonLines } from './read-json-lines.js';
import { sessionDirOf } from './session-dir.js';

export const CRASHED_HINT =
  'Rerun the pipeline. What the run left behind (its temporary folder, hidden temp output files) is ' +
  'removed by the next run or by `osiris logs gc`.';

/**
 * Runs recorded as `running` whose process has ended on this host (killed, out of memory, power
 * lost) become `crashed`, with what their events tell: the steps that finished, the step that was
 * running, when the run was last heard of. A run of another host, or of an older version that did
 * not record its process, is left as it is. Returns the runs marked now.
 */
export async function markCrashedRuns(projectDir: string, index: RunIndex): Promise<RunStatusFile[]> {
  const marked: RunStatusFile[] = [];
  for (const row of index.list({ status: 'running', limit: -1 })) {
    if (row.pid === null || row.pid === undefined || !row.host) continue;
    const owner = {
      pid: row.pid,
      host: row.host,
      ...(row.process_started ? { started: row.process_started } : {}),
    };
    if (isProcessGone(owner) !== true) continue;
    try {
      const status = await markCrashed(projectDir, index, row);
      if (status) marked.push(status);
    } catch {
      // A session that cannot be read or written stays as it is; `logs show` reports its problems.
    }
  }
  return marked;
}

async function markCrashed(
  projectDir: string,
  index: RunIndex,
  row: RunIndexRow,
): Promise<RunStatusFile | undefined> {
  const dir = sessionDirOf(projectDir, row);
  const recorded = await readStatus(dir);
  if (recorded && recorded.status !== 'running') {
    // The run finished and wrote status.json, then died before updating the index.
    index.upsert(recorded);
    return undefined;
  }
  const status = recorded ?? statusFromRow(row);
  const events = (await readJsonLines<RunEvent>(join(dir, 'events.jsonl'))).records;
  const steps = stepsFromEvents(status.steps, events);
  const lastHeard = events.at(-1)?.ts ?? status.started_at;
  const interrupted = steps.find((step) => step.status === 'failed' && step.error?.code === 'E_RUN_CRASHED');
  const duration = Date.parse(lastHeard) - Date.parse(status.started_at);
  const crashed: RunStatusFile = {
    ...status,
    status: 'crashed',
    finished_at: lastHeard,
    ...(Number.isFinite(duration) && duration >= 0 ? { duration_ms: duration } : {}),
    total_rows: writtenRows(steps, events),
    steps,
    error: {
      code: ErrorCodes.RUN_CRASHED,
      message:
        `The run's process (pid ${row.pid} on ${row.host}) ended without finishing the run: it was killed or crashed` +
        `${interrupted ? ` while step '${interrupted.id}' was running` : ''}. Last event at ${lastHeard}.`,
      hint: CRASHED_HINT,
      ...(interrupted ? { step_id: interrupted.id } : {}),
    },
  };
  const event: RunEvent = {
    ts: new Date().toISOString(),
    run_id: row.run_id,
    event: 'run_crashed',
    pid: row.pid ?? 0,
    host: row.host ?? '',
    last_event_at: lastHeard,
    ...(interrupted ? { step_id: interrupted.id } : {}),
  };
  await appendFile(join(dir, 'events.jsonl'), `${JSON.stringify(event)}\n`, { mode: 0o600 });
  await writeFileAtomic(join(dir, 'status.json'), `${JSON.stringify(crashed, null, 2)}\n`, 0o600);
  index.upsert(crashed);
  return crashed;
}

/** Step summaries as far as the events go; the step that was running when the process died failed. */
function stepsFromEvents(summaries: StepSummary[], events: RunEvent[]): StepSummary[] {
  return summaries.map((summary) => {
    const own = events.filter((event) => event.step_id === summary.id);
    const end = own.findLast((event) =>
      ['step_complete', 'step_failed', 'step_skipped'].includes(String(event.event)),
    );
    const started = own.some((event) => event.event === 'step_start');
    const step: StepSummary = { ...summary };
    if (end?.event === 'step_complete') {
      step.status = 'success';
      step.rows = typeof end.rows === 'number' ? end.rows : step.rows;
      step.duration_ms = typeof end.duration_ms === 'number' ? end.duration_ms : step.duration_ms;
    } else if (end?.event === 'step_failed') {
      step.status = end.error_code === ErrorCodes.CANCELLED ? 'cancelled' : 'failed';
      step.error = {
        code: String(end.error_code ?? ErrorCodes.STEP_FAILED),
        message: String(end.message ?? 'The step failed.'),
        ...(typeof end.hint === 'string' ? { hint: end.hint } : {}),
      };
    } else if (end?.event === 'step_skipped') {
      step.status = 'skipped';
    } else if (started) {
      step.status = 'failed';
      step.error = {
        code: ErrorCodes.RUN_CRASHED,
        message: "The run's process ended while this step was running.",
        hint: CRASHED_HINT,
      };
    }
    return step;
  });
}

/** Rows the writers that finished delivered (what `total_rows` counts for a finished run). */
function writtenRows(steps: StepSummary[], events: RunEvent[]): number {
  const writers = new Set(
    events
      .filter((event) => event.event === 'step_start' && event.mode === 'write')
      .map((event) => event.step_id),
  );
  return steps
    .filter((step) => step.status === 'success' && writers.has(step.id))
    .reduce((sum, step) => sum + step.rows, 0);
}

function statusFromRow(row: RunIndexRow): RunStatusFile {
  return {
    run_id: row.run_id,
    pipeline: row.pipeline,
    status: 'running',
    adapter: row.adapter,
    started_at: row.started_at,
    total_rows: row.total_rows,
    steps: [],
    manifest_fp: row.manifest_fp,
    session_dir: row.session_dir,
  };
}

async function readStatus(dir: string): Promise<RunStatusFile | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'status.json'), 'utf8')) as RunStatusFile;
  } catch {
    return undefined;
  }
}

export interface RemovedLeftovers {
  run_id: string;
  /** Absolute paths removed: the run's temp folder(s) and hidden temp output files. */
  removed: string[];
}

/**
 * Remove what crashed runs left behind: their temporary data-plane folder in the system temp
 * folder (`osiris-run-<run_id>-*`, `osiris-worker-<run_id>-*`) and the hidden temp files
 * (`.<name>.tmp-*`) next to their writers' output files. Each run is done once: the time is
 * recorded in its status.json and the index. MySQL staging tables are dropped by the MySQL writer
 * itself on its next run into that table.
 */
export async function removeCrashedRunLeftovers(
  projectDir: string,
  index: RunIndex,
): Promise<RemovedLeftovers[]> {
  const done: RemovedLeftovers[] = [];
  const pending = index.list({ status: 'crashed', limit: -1 }).filter((row) => !row.leftovers_removed_at);
  if (pending.length === 0) return done;
  for (const row of pending) {
    let dir: string;
    try {
      dir = sessionDirOf(projectDir, row);
    } catch {
      continue;
    }
    const status = (await readStatus(dir)) ?? statusFromRow(row);
    const removed = [
      ...(await removeTempFolders(row.run_id, [status.process?.tmpdir, tmpdir()])),
      ...(await removeTempOutputs(projectDir, dir)),
    ];
    const cleaned: RunStatusFile = { ...status, leftovers_removed_at: new Date().toISOString() };
    await writeFileAtomic(join(dir, 'status.json'), `${JSON.stringify(cleaned, null, 2)}\n`, 0o600).catch(
      () => undefined,
    );
    index.upsert(cleaned);
    done.push({ run_id: row.run_id, removed });
  }
  return done;
}

async function removeTempFolders(runId: string, roots: Array<string | undefined>): Promise<string[]> {
  const removed: string[] = [];
  const prefixes = RUN_TEMP_FOLDER_KINDS.map((kind) => runTempFolderPrefix(kind, runId));
  for (const root of new Set(roots.filter((root): root is string => typeof root === 'string'))) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names) {
      if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
      await rm(join(root, name), { recursive: true, force: true });
      removed.push(join(root, name));
    }
  }
  return removed;
}

/** Hidden temp files next to the files the run's writers were producing (from its manifest and cfg/). */
async function removeTempOutputs(projectDir: string, sessionDir: string): Promise<string[]> {
  let manifest: Manifest;
  try {
    manifest = parseYaml(await readFile(join(sessionDir, 'manifest.yaml'), 'utf8')) as Manifest;
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const step of manifest?.steps ?? []) {
    if (step.mode !== 'write') continue;
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(await readFile(join(sessionDir, 'cfg', `${step.id}.json`), 'utf8'));
    } catch {
      continue;
    }
    if (typeof config.path !== 'string') continue;
    try {
      const target = resolveProjectPath(projectDir, config.path);
      removed.push(...(await removeStaleTempFiles(target)).removed);
    } catch {
      // A path outside the project was refused when the run started; nothing of it to clean.
    }
  }
  return removed;
}
