import type { RunDetails } from '../observability/logs/index.js';
import type { RunStatusFile } from '../spec/events.js';
import { relativeToProject } from './project-relative.js';
import { runResourceUri } from './resource-uris.js';

/** What a model needs to know about a finished run, from its status.json. */
export function summarizeRunStatus(status: RunStatusFile, projectDir: string): Record<string, unknown> {
  return {
    run_id: status.run_id,
    pipeline: status.pipeline,
    status: status.status,
    adapter: status.adapter,
    started_at: status.started_at,
    ...(status.finished_at ? { finished_at: status.finished_at } : {}),
    ...(status.duration_ms === undefined ? {} : { duration_ms: status.duration_ms }),
    total_rows: status.total_rows,
    steps: status.steps,
    ...(status.error ? { error: status.error } : {}),
    session_dir: relativeToProject(projectDir, status.session_dir),
    resource_uri: runResourceUri(status.run_id),
    report: `osiris logs html ${status.run_id} --open`,
  };
}

/** A run read back from its session folder (already redacted by loadRunDetails). */
export function summarizeRunDetails(
  details: RunDetails,
  projectDir: string,
  options: { events?: boolean } = {},
): Record<string, unknown> {
  return {
    run_id: details.runId,
    pipeline: details.pipeline,
    status: details.status,
    adapter: details.adapter,
    started_at: details.startedAt,
    ...(details.finishedAt ? { finished_at: details.finishedAt } : {}),
    ...(details.durationMs === undefined ? {} : { duration_ms: details.durationMs }),
    total_rows: details.totalRows,
    ...(details.error ? { error: details.error } : {}),
    steps: details.steps.map((step) => ({
      id: step.id,
      component: step.component,
      ...(step.mode ? { mode: step.mode } : {}),
      needs: step.needs,
      status: step.status,
      rows: step.rows,
      ...(step.durationMs === undefined ? {} : { duration_ms: step.durationMs }),
      ...(step.connection ? { connection: step.connection } : {}),
      outputs: step.outputs,
      ...(step.warnings.length > 0 ? { warnings: step.warnings } : {}),
      ...(step.error ? { error: step.error } : {}),
      ...(step.skipped ? { skipped: step.skipped } : {}),
    })),
    levels: details.levels,
    ...(details.fingerprints ? { fingerprints: details.fingerprints } : {}),
    ...(details.peakRssBytes === undefined ? {} : { peak_rss_bytes: details.peakRssBytes }),
    ...(details.problems.length > 0 ? { problems: details.problems } : {}),
    session_dir: relativeToProject(projectDir, details.sessionDir),
    resource_uri: runResourceUri(details.runId),
    ...(options.events ? { events: details.events } : {}),
  };
}
