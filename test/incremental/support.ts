import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compilePipeline } from '../../src/compiler/index.js';
import { createDefaultRegistry } from '../../src/composition/builtins.js';
import { loadConnections } from '../../src/connections/index.js';
import type { ExecutionAdapter } from '../../src/runtime/adapters/adapter.js';
import { runPipeline } from '../../src/runtime/runner.js';
import { StateStore, stateDbPath } from '../../src/runtime/state/state-store.js';
import type { RunEvent, RunStatusFile } from '../../src/spec/events.js';

export interface IncrementalRun {
  status: RunStatusFile;
  events: RunEvent[];
  /** rows_read metric of each step. */
  rowsRead: Record<string, number>;
}

/** Compile and run `pipelines/<name>.yaml` of a project, as `osiris run` does, and read its events. */
export async function runIncremental(
  dir: string,
  name: string,
  options: { adapter?: ExecutionAdapter; fullRefresh?: boolean; env?: Record<string, string> } = {},
): Promise<IncrementalRun> {
  const registry = createDefaultRegistry();
  const env = { ...process.env, ...options.env };
  const compiled = await compilePipeline({
    file: join(dir, `pipelines/${name}.yaml`),
    projectDir: dir,
    registry,
    env,
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  const status = await runPipeline({
    buildDir: compiled.buildDir!,
    projectDir: dir,
    registry,
    connections: loadConnections({ cwd: dir, env }),
    ...(options.adapter ? { adapter: options.adapter } : {}),
    ...(options.fullRefresh ? { fullRefresh: true } : {}),
  });
  const session = join(dir, status.session_dir);
  const lines = async (file: string) =>
    (await readFile(join(session, file), 'utf8'))
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  const rowsRead: Record<string, number> = {};
  for (const metric of await lines('metrics.jsonl')) {
    if (metric.metric === 'rows_read' && metric.step_id) rowsRead[metric.step_id] = metric.value;
  }
  return { status, events: await lines('events.jsonl'), rowsRead };
}

/** The stored cursor of a step, or undefined. */
export async function storedCursor(dir: string, pipeline: string, stepId: string) {
  const store = await StateStore.open(stateDbPath(dir), { create: false });
  try {
    return store?.get(pipeline, stepId);
  } finally {
    store?.close();
  }
}

export function eventsNamed(run: IncrementalRun, name: string): RunEvent[] {
  return run.events.filter((event) => event.event === name);
}
