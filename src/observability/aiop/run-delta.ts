import type { RunDetails, StepDetails } from '../logs/run-details.js';
import type { AiopDelta, Change, SchemaDelta, StepDelta } from './aiop-types.js';

/** What changed since the previous successful run of the same pipeline: rows, time and schemas. */
export function runDelta(current: RunDetails, previous: RunDetails | undefined): AiopDelta {
  if (!previous) {
    return { previous_run_id: null, note: 'no earlier successful run of this pipeline is recorded' };
  }
  const previousSteps = new Map(previous.steps.map((step) => [step.id, step]));
  const currentIds = new Set(current.steps.map((step) => step.id));
  const steps: StepDelta[] = [];
  for (const step of current.steps) {
    const before = previousSteps.get(step.id);
    if (!before) continue;
    const delta: StepDelta = { id: step.id };
    if (step.status === 'success' || step.rows !== 0) delta.rows = change(before.rows, step.rows);
    if (step.durationMs !== undefined && before.durationMs !== undefined)
      delta.duration_ms = change(before.durationMs, step.durationMs);
    const schema = schemaDelta(before, step);
    if (schema) delta.schema = schema;
    if (delta.rows?.change || delta.duration_ms?.change || delta.schema) steps.push(delta);
  }
  const result: AiopDelta = {
    previous_run_id: previous.runId,
    rows: change(previous.totalRows, current.totalRows),
    steps,
  };
  if (previous.durationMs !== undefined && current.durationMs !== undefined)
    result.duration_ms = change(previous.durationMs, current.durationMs);
  const added = current.steps.filter((step) => !previousSteps.has(step.id)).map((step) => step.id);
  const removed = previous.steps.filter((step) => !currentIds.has(step.id)).map((step) => step.id);
  if (added.length > 0) result.steps_added = added;
  if (removed.length > 0) result.steps_removed = removed;
  return result;
}

function change(previous: number, current: number): Change {
  return { previous, current, change: current - previous };
}

/** Columns added, removed or retyped in a step's output; undefined when either run has no schema. */
function schemaDelta(before: StepDetails, after: StepDetails): SchemaDelta | undefined {
  if (!before.schema || !after.schema) return undefined;
  const old = new Map(before.schema.columns.map((column) => [column.name, column.type]));
  const now = new Map(after.schema.columns.map((column) => [column.name, column.type]));
  const added = [...now.keys()].filter((name) => !old.has(name));
  const removed = [...old.keys()].filter((name) => !now.has(name));
  const changed = [...now.entries()].flatMap(([name, type]) => {
    const from = old.get(name);
    return from !== undefined && from !== type ? [{ name, from, to: type }] : [];
  });
  if (added.length + removed.length + changed.length === 0) return undefined;
  return { added, removed, changed };
}
