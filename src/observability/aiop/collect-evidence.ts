import type { MetricRecord, RunEvent } from '../../spec/events.js';
import type { Evidence } from './aiop-types.js';

/** Step id used in evidence ids for facts of the whole run. */
export const RUN_SCOPE = 'run';

/**
 * `ev.<kind>.<step>.<name>.<ms>`: stable for a given session (nothing but the session goes into
 * it). A second fact with the same kind, step, name and millisecond gets `-2`, `-3`, … in file order.
 */
export function evidenceId(kind: string, step: string, name: string, ms: number): string {
  return `ev.${kind}.${idPart(step)}.${idPart(name)}.${ms}`;
}

function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_') || '_';
}

/** How much a fact matters when the core must leave some out: lower is kept first. */
const EVENT_PRIORITY: Record<string, number> = {
  run_start: 0,
  run_complete: 0,
  run_crashed: 0,
  step_failed: 0,
  check_failed: 0,
  warning: 1,
  step_skipped: 1,
  schema_changed: 1,
  state_loaded: 1,
  state_recovered: 1,
  state_committed: 1,
  check_passed: 1,
  connection_retry: 1,
  step_start: 1,
  step_complete: 1,
  source_described: 2,
  table_created: 2,
  output_written: 2,
  connection_resolve_start: 3,
  connection_resolve_complete: 3,
  artifact_created: 3,
  adapter_selected: 3,
  step_progress: 5,
  debug: 5,
};
const METRIC_PRIORITY = 2;
const OTHER_PRIORITY = 4;

export function evidencePriority(item: Evidence): number {
  if (item.kind === 'metric') return METRIC_PRIORITY;
  return EVENT_PRIORITY[item.name] ?? OTHER_PRIORITY;
}

/** Every event and metric record of the run as evidence, ordered by time, then id. */
export function collectEvidence(events: RunEvent[], metrics: MetricRecord[], startedAt: string): Evidence[] {
  const start = Date.parse(startedAt);
  const offset = (ts: string) => {
    const ms = Date.parse(ts) - start;
    return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
  };
  const items: Array<Omit<Evidence, 'id'> & { position: number }> = [];
  for (const [position, event] of events.entries()) {
    const { ts, run_id: _runId, event: name, step_id: stepId, ...data } = event;
    items.push({
      kind: 'event',
      step: typeof stepId === 'string' && stepId !== '' ? stepId : RUN_SCOPE,
      name: String(name),
      ms: offset(String(ts)),
      data,
      position,
    });
  }
  for (const [position, metric] of metrics.entries()) {
    const { ts, run_id: _runId, metric: name, step_id: stepId, ...data } = metric;
    items.push({
      kind: 'metric',
      step: typeof stepId === 'string' && stepId !== '' ? stepId : RUN_SCOPE,
      name: String(name),
      ms: offset(String(ts)),
      data: data as Record<string, unknown>,
      position: events.length + position,
    });
  }
  const seen = new Map<string, number>();
  const withIds = items.map(({ position, ...item }) => {
    const base = evidenceId(item.kind, item.step, item.name, item.ms);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { position, evidence: { id: count === 1 ? base : `${base}-${count}`, ...item } };
  });
  withIds.sort((left, right) => left.evidence.ms - right.evidence.ms || left.position - right.position);
  return withIds.map((entry) => entry.evidence);
}
