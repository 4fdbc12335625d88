import type { Registry } from '../../registry/registry.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { EventName } from '../../spec/events.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import type { CompiledPipeline } from '../../spec/manifest.js';
import type { EngineResult } from '../engine-types.js';
import { incrementalSteps } from './incremental-plan.js';
import { commitWindows, loadWindows, type PlannedWindow } from './incremental-state.js';
import { targetRecovery } from './recover-from-target.js';
import { StateStore, stateDbPath } from './state-store.js';

/** A run's incremental state: the windows its extractors read, and the commit once it has succeeded. */
export interface RunState {
  windows: Record<string, IncrementalWindow>;
  planned: PlannedWindow[];
  /**
   * Stores the new cursors. Called by the host only for a run that succeeded; an extractor whose
   * writers did not all succeed keeps its old state, so the next run reads its window again.
   */
  commit(runId: string, result: EngineResult): void;
  close(): void;
}

export interface OpenRunStateOptions {
  compiled: CompiledPipeline;
  /** The run's components: writers that can recover a lost state from their target say how. */
  registry: Registry;
  projectDir: string;
  fullRefresh?: boolean;
  resolveConnection(ref: string): ResolvedConnection;
  event(name: EventName, fields: Record<string, unknown>): void;
}

/** Undefined for a pipeline without incremental extractors: it never creates `.osiris/state.db`. */
export async function openRunState(options: OpenRunStateOptions): Promise<RunState | undefined> {
  const steps = incrementalSteps(options.compiled);
  if (steps.length === 0) return undefined;
  const pipeline = options.compiled.manifest.pipeline.name;
  const store = (await StateStore.open(stateDbPath(options.projectDir))) as StateStore;
  try {
    const planned = await loadWindows({
      pipeline,
      steps,
      store,
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      recover: targetRecovery(
        options.compiled,
        options.registry,
        options.resolveConnection,
        (step, message) =>
          options.event('debug', {
            step_id: step.step.id,
            message: `no cursor recovered from the target: ${message}`,
          }),
      ),
      event: options.event,
    });
    return {
      windows: Object.fromEntries(planned.map((plan) => [plan.stepId, plan.window])),
      planned,
      commit(runId, result) {
        if (result.status !== 'success') return;
        commitWindows({
          pipeline,
          runId,
          planned,
          store,
          steps: result.steps,
          observed: result.cursors ?? {},
          event: options.event,
        });
      },
      close: () => store.close(),
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
