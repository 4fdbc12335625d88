import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MetricRecord, RunEvent, RunStatusFile } from '../../spec/events.js';
import type { Manifest } from '../../spec/manifest.js';
import type { RunIndexRow } from '../run-index.js';
import { deriveSteps } from './derive-steps.js';
import type { FoundRun } from './find-run.js';
import { listArtifacts } from './list-artifacts.js';
import { maskYamlText } from './mask-yaml-text.js';
import { planLevels } from './plan-levels.js';
import { maskSecretNamedValues, type ProjectRedaction } from './project-redaction.js';
import { readJsonLines } from './read-json-lines.js';
import { readStepOutputs } from './read-step-output.js';
import type { RunDetails, RunErrorDetails } from './run-details.js';

/**
 * Read a run session folder into one redacted record: what `logs show` prints and what the HTML
 * report draws. Missing or damaged files become `problems`, not failures: a crashed run is
 * exactly the one somebody wants to look at.
 */
export async function loadRunDetails(found: FoundRun, redaction: ProjectRedaction): Promise<RunDetails> {
  const { sessionDir, row } = found;
  const problems: string[] = [];
  const status = await readStatus(join(sessionDir, 'status.json'), problems);
  const events = await readJsonLines<RunEvent>(join(sessionDir, 'events.jsonl'));
  const metrics = await readJsonLines<MetricRecord>(join(sessionDir, 'metrics.jsonl'));
  if (events.badLines.length > 0) problems.push(unreadable('events.jsonl', events.badLines));
  if (metrics.badLines.length > 0) problems.push(unreadable('metrics.jsonl', metrics.badLines));
  const manifest = await readManifest(sessionDir, problems);
  const stepIds =
    manifest?.value?.steps?.map((step) => step.id) ?? status?.steps.map((step) => step.id) ?? [];
  const configs = await readConfigs(sessionDir, stepIds, problems);

  const steps = deriveSteps({
    ...(manifest?.value ? { manifest: manifest.value } : {}),
    ...(status ? { status } : {}),
    events: events.records,
    metrics: metrics.records,
    configs,
    artifacts: await listArtifacts(sessionDir),
  });
  await readStepOutputs(sessionDir, steps, problems);
  const levels =
    manifest?.value?.plan?.levels && manifest.value.plan.levels.length > 0
      ? manifest.value.plan.levels.map((level) => [...level])
      : planLevels(steps);

  const details: RunDetails = {
    ...runFields(row, status, events.records),
    sessionDir,
    steps,
    levels,
    events: events.records,
    metrics: metrics.records,
    problems: [...redaction.problems, ...problems],
  };
  const error = runError(status, steps, events.records);
  if (error) details.error = error;
  if (manifest) details.manifest = manifest;
  if (manifest?.value?.fingerprints) details.fingerprints = { ...manifest.value.fingerprints };
  const peak = metrics.records
    .filter((metric) => metric.metric === 'peak_rss_bytes')
    .map((metric) => metric.value);
  if (peak.length > 0) details.peakRssBytes = Math.max(...peak);
  return redactDetails(details, redaction);
}

function runFields(
  row: RunIndexRow,
  status: RunStatusFile | undefined,
  events: RunEvent[],
): Pick<
  RunDetails,
  | 'runId'
  | 'pipeline'
  | 'status'
  | 'adapter'
  | 'startedAt'
  | 'finishedAt'
  | 'durationMs'
  | 'totalRows'
  | 'manifestFp'
> {
  const complete = events.findLast((event) => event.event === 'run_complete');
  const runStatus = status?.status ?? (row.status as RunDetails['status']);
  const finishedAt = status?.finished_at ?? row.finished_at ?? complete?.ts;
  const durationMs = status?.duration_ms ?? row.duration_ms ?? numberOf(complete?.duration_ms);
  return {
    runId: row.run_id,
    pipeline: status?.pipeline ?? row.pipeline,
    status:
      runStatus === 'running' && complete
        ? ((complete.status as RunDetails['status']) ?? runStatus)
        : runStatus,
    adapter: status?.adapter ?? row.adapter,
    startedAt: status?.started_at ?? row.started_at,
    ...(finishedAt ? { finishedAt } : {}),
    ...(durationMs !== undefined ? { durationMs } : {}),
    totalRows: status?.total_rows ?? row.total_rows,
    manifestFp: status?.manifest_fp ?? row.manifest_fp,
  };
}

function runError(
  status: RunStatusFile | undefined,
  steps: RunDetails['steps'],
  events: RunEvent[],
): RunErrorDetails | undefined {
  if (status?.error) {
    const { step_id: stepId, ...rest } = status.error;
    return { ...rest, ...(stepId ? { stepId } : {}) };
  }
  const failed = steps.find((step) => step.status === 'failed' && step.error);
  if (failed?.error) return { ...failed.error, stepId: failed.id };
  const complete = events.findLast((event) => event.event === 'run_complete');
  if (typeof complete?.error_code === 'string') {
    return { code: complete.error_code, message: `The run ended with ${complete.error_code}.` };
  }
  return undefined;
}

async function readStatus(path: string, problems: string[]): Promise<RunStatusFile | undefined> {
  const text = await readOptional(path);
  if (text === undefined) {
    problems.push('status.json is missing: the run may have been killed before it could write its summary.');
    return undefined;
  }
  try {
    return JSON.parse(text) as RunStatusFile;
  } catch {
    problems.push('status.json is not valid JSON; the summary comes from the run index and the events.');
    return undefined;
  }
}

async function readManifest(sessionDir: string, problems: string[]): Promise<RunDetails['manifest']> {
  const text = await readOptional(join(sessionDir, 'manifest.yaml'));
  if (text === undefined) {
    problems.push('manifest.yaml is missing from the session.');
    return undefined;
  }
  try {
    return { text, value: parseYaml(text) as Manifest };
  } catch {
    problems.push('manifest.yaml could not be parsed; it is shown as text.');
    return { text };
  }
}

async function readConfigs(
  sessionDir: string,
  stepIds: string[],
  problems: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const configs = new Map<string, Record<string, unknown>>();
  const texts = await Promise.all(stepIds.map((id) => readOptional(join(sessionDir, 'cfg', `${id}.json`))));
  for (const [position, id] of stepIds.entries()) {
    const text = texts[position];
    if (text === undefined) continue;
    try {
      configs.set(id, JSON.parse(text) as Record<string, unknown>);
    } catch {
      problems.push(`cfg/${id}.json is not valid JSON.`);
    }
  }
  return configs;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function unreadable(file: string, lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ');
  return `${file}: ${lines.length} line(s) could not be read (line ${shown}${lines.length > 5 ? ', …' : ''}).`;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Secret-named fields masked first (their values may be unknown to us), then known secret values. */
function redactDetails(details: RunDetails, redaction: ProjectRedaction): RunDetails {
  const { manifest, ...rest } = details;
  const masked = redaction.redactor.value(maskSecretNamedValues(rest, redaction.isSecretName)) as RunDetails;
  if (manifest) {
    const text = redaction.redactor.text(maskYamlText(manifest.text, redaction.isSecretName));
    masked.manifest = manifest.value
      ? {
          text,
          value: redaction.redactor.value(
            maskSecretNamedValues(manifest.value, redaction.isSecretName),
          ) as Manifest,
        }
      : { text };
  }
  return masked;
}
