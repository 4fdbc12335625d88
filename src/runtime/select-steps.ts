import { stepDependencies } from '../spec/checks.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { CompiledPipeline, ManifestStep, StreamEdgePlan } from '../spec/manifest.js';

/**
 * dbt-style node selection over a compiled pipeline: `STEP` runs the step and every step it needs
 * (upstream steps are run again, their earlier outputs are not reused); `STEP+` also runs every
 * step downstream of it, with whatever else those need. Several selectors add up. The manifest's
 * step order is kept, so the run follows the plan.
 */
export function selectSteps(compiled: CompiledPipeline, selectors: readonly string[]): CompiledPipeline {
  const steps = compiled.manifest.steps;
  const byId = new Map(steps.map((step) => [step.id, step]));
  const chosen = new Set<string>();
  for (const selector of selectors) {
    const withDownstream = selector.endsWith('+');
    const id = withDownstream ? selector.slice(0, -1) : selector;
    if (!byId.has(id)) throw unknownStep(id, steps);
    const roots = withDownstream ? [id, ...downstreamOf(id, steps)] : [id];
    for (const root of roots) {
      chosen.add(root);
      for (const need of upstreamOf(root, byId)) chosen.add(need);
    }
  }
  const kept = steps.filter((step) => chosen.has(step.id));
  const { streams, ...plan } = compiled.manifest.plan;
  return {
    ...compiled,
    manifest: {
      ...compiled.manifest,
      steps: kept,
      plan: {
        ...plan,
        order: compiled.manifest.plan.order.filter((id) => chosen.has(id)),
        levels: compiled.manifest.plan.levels
          .map((level) => level.filter((id) => chosen.has(id)))
          .filter((level) => level.length > 0),
        ...streamsAmong(streams, chosen),
      },
    },
  };
}

function upstreamOf(id: string, byId: Map<string, ManifestStep>): Set<string> {
  const found = new Set<string>();
  const dependencies = (stepId: string) => {
    const step = byId.get(stepId);
    return step ? stepDependencies(step) : [];
  };
  const pending = dependencies(id);
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...dependencies(next));
  }
  return found;
}

function downstreamOf(id: string, steps: readonly ManifestStep[]): Set<string> {
  const found = new Set<string>();
  const pending = [id];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const step of steps) {
      if (step.needs.includes(current) && !found.has(step.id)) {
        found.add(step.id);
        pending.push(step.id);
      }
    }
  }
  return found;
}

function unknownStep(id: string, steps: readonly ManifestStep[]): OsirisError {
  const ids = steps.map((step) => step.id);
  return new OsirisError(ErrorCodes.USAGE, `The pipeline has no step '${id}'.`, {
    hint: `Its steps are: ${ids.join(', ')}. Add + to also run what follows a step (e.g. --select ${ids[0] ?? 'STEP'}+).`,
    details: { step_id: id, steps: ids },
  });
}

/** A streamed edge runs only when both its steps do; otherwise the producer fills its table. */
function streamsAmong(
  streams: readonly StreamEdgePlan[] | undefined,
  chosen: ReadonlySet<string>,
): { streams?: StreamEdgePlan[] } {
  const kept = (streams ?? []).filter((edge) => chosen.has(edge.from) && chosen.has(edge.to));
  return kept.length > 0 ? { streams: kept } : {};
}
