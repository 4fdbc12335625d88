import { resolve } from 'node:path';
import { createProjectRegistry } from '../composition/builtins.js';
import { projectRedaction } from '../composition/project-redaction.js';
import { writeReports } from '../report/write-reports.js';
import { runTarget } from '../runtime/run-target.js';
import type { RunEvent, RunStatusFile } from '../spec/events.js';
import { createDemoProject, DEMO_PIPELINES } from './create-demo.js';

export interface DemoResult {
  projectDir: string;
  files: string[];
  runs: Array<{ pipeline: string; status: RunStatusFile }>;
  /** The HTML report index page (one report per run beside it). */
  reportIndex: string;
  reports: string[];
}

/** `osiris demo`: scaffold the demo project, then compile and run each of its pipelines. */
export async function runDemo(
  dir: string,
  options: {
    force?: boolean;
    env?: Record<string, string | undefined>;
    signal?: AbortSignal;
    onEvent?(event: RunEvent): void;
    onProgress?(stepId: string, rows: number): void;
    onPipelineStart?(pipeline: string): void;
  } = {},
): Promise<DemoResult> {
  const projectDir = resolve(dir);
  const files = await createDemoProject(projectDir, { force: options.force ?? false });
  // The demo is its own project, whatever OSIRIS_HOME the user has set for their real one.
  const env = { ...(options.env ?? process.env), OSIRIS_HOME: projectDir };
  const runs: DemoResult['runs'] = [];
  for (const pipeline of DEMO_PIPELINES) {
    options.onPipelineStart?.(pipeline);
    const result = await runTarget({
      registryFor: createProjectRegistry,
      target: pipeline,
      cwd: projectDir,
      env,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    if (result.kind === 'run') runs.push({ pipeline, status: result.status });
    if (result.kind === 'run' && result.status.status !== 'success') break;
  }
  const reports = await writeReports({ projectDir, redaction: projectRedaction(projectDir, env) });
  return {
    projectDir,
    files,
    runs,
    reportIndex: reports.indexPath,
    reports: reports.reports.map((r) => r.path),
  };
}
