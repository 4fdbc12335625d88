import type { CursorValue, IncrementalConfig } from '../../spec/incremental.js';
import { incrementalConfigOf } from '../../spec/incremental.js';
import type { CompiledPipeline, ManifestStep } from '../../spec/manifest.js';
import { fingerprint } from '../../util/canonical-json.js';

/** An extractor of the pipeline that reads incrementally, with what the state logic needs about it. */
export interface IncrementalStep {
  step: ManifestStep;
  config: IncrementalConfig;
  /** The step's config (for the source: connection, table or query). */
  stepConfig: Record<string, unknown>;
  /** `sha256:` of the cursor definition and source: a stored state for another one is not used. */
  fingerprint: string;
  /** Every write step downstream of the extractor: they must all succeed before the state moves. */
  writers: ManifestStep[];
}

/** Config keys that name the source of an extractor; changing one makes the stored cursor meaningless. */
const SOURCE_KEYS = ['connection', 'database', 'schema', 'table', 'query', 'path', 'columns'] as const;

/** The incremental extractors of a compiled pipeline, in plan order. */
export function incrementalSteps(compiled: CompiledPipeline): IncrementalStep[] {
  const out: IncrementalStep[] = [];
  for (const step of compiled.manifest.steps) {
    const stepConfig = compiled.cfg[step.id] ?? {};
    const config = incrementalConfigOf(stepConfig);
    if (!config || step.mode !== 'read') continue;
    const source: Record<string, unknown> = { component: step.component, cursor: config.cursor };
    for (const key of SOURCE_KEYS) if (stepConfig[key] !== undefined) source[key] = stepConfig[key];
    out.push({
      step,
      config,
      stepConfig,
      fingerprint: fingerprint(source),
      writers: downstream(compiled.manifest.steps, step.id).filter((s) => s.mode === 'write'),
    });
  }
  return out;
}

/** Steps that depend on `stepId`, directly or through others. */
export function downstream(steps: readonly ManifestStep[], stepId: string): ManifestStep[] {
  const reached = new Set<string>([stepId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of steps) {
      if (reached.has(step.id) || !step.needs.some((need) => reached.has(need))) continue;
      reached.add(step.id);
      grew = true;
    }
  }
  return steps.filter((step) => step.id !== stepId && reached.has(step.id));
}

/** What a run saw of an incremental extractor's cursor: the largest value in its window. */
export type ObservedCursors = Record<string, CursorValue>;
