import type { MetricRecord, RunEvent, RunStatusFile, StepSummary } from '../../spec/events.js';
import type { Manifest } from '../../spec/manifest.js';
import type {
  ArtifactDetails,
  CheckDetails,
  IncrementalDetails,
  OutputDetails,
  RunErrorDetails,
  StepDetails,
  StepStatus,
} from './run-details.js';

export interface StepSources {
  manifest?: Manifest;
  status?: RunStatusFile;
  events: RunEvent[];
  metrics: MetricRecord[];
  configs: Map<string, Record<string, unknown>>;
  /** Files found under artifacts/, keyed by step id. */
  artifacts: Map<string, ArtifactDetails[]>;
}

interface StepEvents {
  start?: RunEvent;
  end?: RunEvent;
  connection?: string;
  warnings: string[];
  artifacts: ArtifactDetails[];
  outputs: OutputDetails[];
  checks: CheckDetails[];
  incremental?: IncrementalDetails;
}

/**
 * One record per step from everything the session holds. status.json is the summary the runner
 * wrote last; events are what happened, so a finished event wins over a stale "running" summary.
 */
export function deriveSteps(sources: StepSources): StepDetails[] {
  const eventsByStep = groupEvents(sources.events);
  const summaries = new Map((sources.status?.steps ?? []).map((summary) => [summary.id, summary]));
  return stepSkeletons(sources).map((skeleton) => {
    const summary = summaries.get(skeleton.id);
    const events = eventsByStep.get(skeleton.id) ?? { warnings: [], artifacts: [], outputs: [], checks: [] };
    const metrics = sources.metrics.filter((metric) => metric.step_id === skeleton.id);
    const end = events.end;
    const step: StepDetails = {
      id: skeleton.id,
      component: skeleton.component || stringField(events.start, 'component') || summary?.component || '?',
      needs: skeleton.needs,
      status: stepStatus(summary, events),
      rows: numberField(end, 'rows') ?? summary?.rows ?? 0,
      artifacts: mergeArtifacts(sources.artifacts.get(skeleton.id) ?? [], events.artifacts),
      outputs: events.outputs,
      warnings: events.warnings,
    };
    if (events.checks.length > 0) step.checks = events.checks;
    if (events.incremental) step.incremental = events.incremental;
    const mode = skeleton.mode ?? stringField(events.start, 'mode');
    if (mode) step.mode = mode;
    const duration =
      numberField(end, 'duration_ms') ?? (summary?.duration_ms || undefined) ?? span(events.start, end);
    if (duration !== undefined) step.durationMs = duration;
    if (events.start) step.startedAt = events.start.ts;
    if (end) step.finishedAt = end.ts;
    const connection = events.connection ?? skeleton.connection;
    if (connection) step.connection = connection;
    const config = sources.configs.get(skeleton.id);
    if (config) step.config = config;
    const rowsRead = sumMetric(metrics, 'rows_read');
    if (rowsRead !== undefined) step.rowsRead = rowsRead;
    const rowsWritten = sumMetric(metrics, 'rows_written');
    if (rowsWritten !== undefined) step.rowsWritten = rowsWritten;
    const bytesWritten = sumMetric(metrics, 'bytes_written');
    if (bytesWritten !== undefined) step.bytesWritten = bytesWritten;
    const error = stepError(summary, end);
    if (error) step.error = error;
    if (end?.event === 'step_skipped') {
      const upstream = stringField(end, 'upstream');
      step.skipped = { reason: stringField(end, 'reason') ?? 'skipped', ...(upstream ? { upstream } : {}) };
    }
    return step;
  });
}

interface StepSkeleton {
  id: string;
  component: string;
  mode?: string;
  needs: string[];
  connection?: string;
}

/** The step list in plan order: from the manifest, else status.json, else the events. */
function stepSkeletons(sources: StepSources): StepSkeleton[] {
  if (sources.manifest?.steps?.length) {
    return sources.manifest.steps.map((step) => ({
      id: step.id,
      component: step.component,
      mode: step.mode,
      needs: [...(step.needs ?? [])],
      ...(step.connection ? { connection: step.connection } : {}),
    }));
  }
  if (sources.status?.steps?.length) {
    return sources.status.steps.map((step) => ({ id: step.id, component: step.component, needs: [] }));
  }
  const seen = new Map<string, StepSkeleton>();
  for (const event of sources.events) {
    if (typeof event.step_id === 'string' && !seen.has(event.step_id)) {
      seen.set(event.step_id, {
        id: event.step_id,
        component: stringField(event, 'component') ?? '',
        needs: [],
      });
    }
  }
  return [...seen.values()];
}

function groupEvents(events: RunEvent[]): Map<string, StepEvents> {
  const byStep = new Map<string, StepEvents>();
  for (const event of events) {
    if (typeof event.step_id !== 'string') continue;
    let entry = byStep.get(event.step_id);
    if (!entry) {
      entry = { warnings: [], artifacts: [], outputs: [], checks: [] };
      byStep.set(event.step_id, entry);
    }
    switch (event.event) {
      case 'step_start':
        entry.start = event;
        break;
      case 'step_complete':
      case 'step_failed':
      case 'step_skipped':
        entry.end = event;
        break;
      case 'connection_resolve_start':
      case 'connection_resolve_complete':
        entry.connection = stringField(event, 'connection') ?? entry.connection;
        break;
      case 'warning':
        entry.warnings.push(stringField(event, 'message') ?? 'warning');
        break;
      case 'artifact_created': {
        const path = stringField(event, 'path');
        if (path) entry.artifacts.push({ path, bytes: numberField(event, 'bytes') ?? 0 });
        break;
      }
      case 'state_loaded': {
        const from = stringField(event, 'from');
        const to = stringField(event, 'to');
        entry.incremental = {
          cursor: stringField(event, 'cursor') ?? '?',
          origin: stringField(event, 'origin') ?? '?',
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        };
        break;
      }
      case 'state_committed': {
        const committed = stringField(event, 'to');
        if (entry.incremental && committed) entry.incremental.committed = committed;
        break;
      }
      case 'check_passed':
      case 'check_failed':
        entry.checks.push(checkDetails(event));
        break;
      case 'output_written': {
        const path = stringField(event, 'path');
        if (!path) break;
        const output: OutputDetails = { path };
        const bytes = numberField(event, 'bytes');
        const rows = numberField(event, 'rows');
        if (bytes !== undefined) output.bytes = bytes;
        if (rows !== undefined) output.rows = rows;
        entry.outputs.push(output);
        break;
      }
      default:
        break;
    }
  }
  return byStep;
}

/** A data check as its event recorded it (issue 15): passed, warned (a failed warn check) or failed. */
function checkDetails(event: RunEvent): CheckDetails {
  const severity = stringField(event, 'severity') === 'warn' ? 'warn' : 'error';
  const sample = event.sample as CheckDetails['sample'] | undefined;
  return {
    name: stringField(event, 'check') ?? '?',
    type: stringField(event, 'type') ?? '?',
    severity,
    outcome: event.event === 'check_passed' ? 'passed' : severity === 'warn' ? 'warned' : 'failed',
    observed: stringField(event, 'observed') ?? '',
    failingRows: numberField(event, 'failing_rows') ?? 0,
    ...(sample && Array.isArray(sample.columns) && Array.isArray(sample.rows) ? { sample } : {}),
  };
}

function stepStatus(summary: StepSummary | undefined, events: StepEvents): StepStatus {
  switch (events.end?.event) {
    case 'step_complete':
      return 'success';
    case 'step_failed':
      return stringField(events.end, 'error_code') === 'E_CANCELLED' ? 'cancelled' : 'failed';
    case 'step_skipped':
      return 'skipped';
    default:
      if (summary && summary.status !== 'pending' && summary.status !== 'running') return summary.status;
      return events.start ? 'running' : (summary?.status ?? 'pending');
  }
}

function stepError(summary: StepSummary | undefined, end: RunEvent | undefined): RunErrorDetails | undefined {
  if (summary?.error) return { ...summary.error };
  if (end?.event !== 'step_failed') return undefined;
  const hint = stringField(end, 'hint');
  return {
    code: stringField(end, 'error_code') ?? 'E_STEP_FAILED',
    message: stringField(end, 'message') ?? 'The step failed.',
    ...(hint ? { hint } : {}),
  };
}

/** Files on disk are the truth for sizes; events add files that were since removed. */
function mergeArtifacts(onDisk: ArtifactDetails[], announced: ArtifactDetails[]): ArtifactDetails[] {
  const byPath = new Map(announced.map((artifact) => [artifact.path, artifact]));
  for (const artifact of onDisk) byPath.set(artifact.path, artifact);
  return [...byPath.values()].sort((left, right) => left.path.localeCompare(right.path));
}

function sumMetric(metrics: MetricRecord[], name: string): number | undefined {
  const matching = metrics.filter((metric) => metric.metric === name && Number.isFinite(metric.value));
  return matching.length === 0 ? undefined : matching.reduce((sum, metric) => sum + metric.value, 0);
}

function span(start: RunEvent | undefined, end: RunEvent | undefined): number | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end.ts) - Date.parse(start.ts);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

export function stringField(event: RunEvent | undefined, name: string): string | undefined {
  const value = event?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function numberField(event: RunEvent | undefined, name: string): number | undefined {
  const value = event?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
