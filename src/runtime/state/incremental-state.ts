import type { EventName, StepSummary } from '../../spec/events.js';
import type { CursorKind, CursorValue, IncrementalWindow } from '../../spec/incremental.js';
import { compareCursorValues, kindOfLiteral, subtractLag } from '../../util/cursor-values.js';
import type { IncrementalStep } from './incremental-plan.js';
import type { CursorState, StateStore } from './state-store.js';

/** Where a run's window starts from. */
export type WindowOrigin = 'state' | 'target' | 'initial_value' | 'everything' | 'full_refresh' | 'backfill';

/** The window chosen for one incremental extractor in this run, and what decides its commit. */
export interface PlannedWindow {
  stepId: string;
  window: IncrementalWindow;
  origin: WindowOrigin;
  /** The value the window was measured from (before the lag), when there was one. */
  lastValue?: CursorValue;
  /** False for a backfill (`end_value`): the run reads a closed window and never moves the state. */
  movesState: boolean;
  incremental: IncrementalStep;
}

export interface LoadWindowsOptions {
  pipeline: string;
  steps: IncrementalStep[];
  store: StateStore | undefined;
  /** `osiris run --full-refresh`: ignore the stored state (and the target) for this run. */
  fullRefresh?: boolean;
  /** max(cursor) of the step's database target, for a state that is missing. */
  recover?(step: IncrementalStep): Promise<CursorValue | undefined>;
  event(name: EventName, fields: Record<string, unknown>): void;
}

/**
 * Chooses each incremental extractor's window: `cursor >= last value − lag`, the last value coming
 * from the stored state, else from the target table (recovered, with an event), else the step's
 * `initial_value`; without any of them the run reads everything. `end_value` closes the window.
 */
export async function loadWindows(options: LoadWindowsOptions): Promise<PlannedWindow[]> {
  const planned: PlannedWindow[] = [];
  for (const incremental of options.steps) {
    const { config, step } = incremental;
    const lag = config.lag ?? 0;
    const initial = config.initial_value === undefined ? undefined : String(config.initial_value);
    const to = config.end_value === undefined ? undefined : String(config.end_value);
    const literalKind =
      initial !== undefined ? kindOfLiteral(initial) : to !== undefined ? kindOfLiteral(to) : undefined;
    let origin: WindowOrigin = initial === undefined ? 'everything' : 'initial_value';
    let lastValue: CursorValue | undefined;
    if (to !== undefined) origin = 'backfill';
    else if (options.fullRefresh) origin = 'full_refresh';
    else {
      const stored = options.store?.get(options.pipeline, step.id);
      if (stored && (stored.fingerprint === null || stored.fingerprint === incremental.fingerprint)) {
        origin = 'state';
        lastValue = { value: stored.value, kind: stored.kind };
      } else {
        if (stored) {
          options.event('warning', {
            step_id: step.id,
            message:
              `the stored cursor of step '${step.id}' was kept for another cursor or source ` +
              `(${stored.cursor}); this run starts afresh and replaces it`,
          });
        }
        const recovered = await options.recover?.(incremental);
        if (recovered) {
          origin = 'target';
          lastValue = recovered;
          options.event('state_recovered', {
            step_id: step.id,
            cursor: config.cursor,
            value: recovered.value,
            writers: incremental.writers.map((writer) => writer.id),
          });
        }
      }
    }
    const from = lastValue ? subtractLag(lastValue.value, lag, lastValue.kind) : initial;
    const kind: CursorKind | undefined = lastValue?.kind ?? literalKind;
    const window: IncrementalWindow = {
      cursor: config.cursor,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(kind ? { kind } : {}),
    };
    options.event('state_loaded', {
      step_id: step.id,
      cursor: config.cursor,
      origin,
      from: window.from ?? null,
      to: window.to ?? null,
      ...(lastValue ? { last_value: lastValue.value } : {}),
      ...(lag ? { lag } : {}),
    });
    planned.push({
      stepId: step.id,
      window,
      origin,
      ...(lastValue ? { lastValue } : {}),
      movesState: to === undefined,
      incremental,
    });
  }
  return planned;
}

export interface CommitOptions {
  pipeline: string;
  runId: string;
  planned: PlannedWindow[];
  store: StateStore;
  steps: readonly StepSummary[];
  /** The largest cursor each extractor saw, as its step returned it. */
  observed: Record<string, CursorValue>;
  event(name: EventName, fields: Record<string, unknown>): void;
  now?: () => Date;
}

/**
 * Stores the new cursor of every incremental extractor whose downstream writers all succeeded.
 * The value never goes back (a re-read window's max is at least the last value), except after a
 * full refresh, which stores what it saw. A window without rows leaves the state as it was.
 */
export function commitWindows(options: CommitOptions): void {
  const statusOf = new Map(options.steps.map((step) => [step.id, step.status]));
  for (const plan of options.planned) {
    if (!plan.movesState) continue;
    const { incremental } = plan;
    if (statusOf.get(plan.stepId) !== 'success') continue;
    if (incremental.writers.some((writer) => statusOf.get(writer.id) !== 'success')) continue;
    const rows = options.steps.find((step) => step.id === plan.stepId)?.rows ?? 0;
    const seen = options.observed[plan.stepId];
    const previous = plan.origin === 'full_refresh' ? undefined : plan.lastValue;
    const next = newest(previous, seen);
    if (!next) continue;
    const state: CursorState = {
      pipeline: options.pipeline,
      step_id: plan.stepId,
      fingerprint: incremental.fingerprint,
      cursor: incremental.config.cursor,
      value: next.value,
      kind: next.kind,
      run_id: options.runId,
      updated_at: (options.now?.() ?? new Date()).toISOString(),
    };
    options.store.put(state, { from_value: plan.window.from ?? null, to_value: next.value, rows });
    options.event('state_committed', {
      step_id: plan.stepId,
      cursor: incremental.config.cursor,
      from: plan.window.from ?? null,
      to: next.value,
      rows,
      ...(previous ? { previous_value: previous.value } : {}),
    });
  }
}

function newest(previous: CursorValue | undefined, seen: CursorValue | undefined): CursorValue | undefined {
  if (!seen) return previous;
  if (!previous) return seen;
  return compareCursorValues(seen.value, previous.value, seen.kind) >= 0 ? seen : previous;
}
