import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { Plan } from '../spec/manifest.js';

/**
 * Topological order (ties broken by declaration order, so the same pipeline always runs in the
 * same order) and levels by depth: a step's level is one more than its deepest dependency, so
 * steps in one level never depend on each other. Expects an acyclic graph (OML validation
 * rejects cycles).
 */
export function buildPlan(steps: ReadonlyArray<{ id: string; needs: readonly string[] }>): Plan {
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < steps.length) {
    const next = steps.find((step) => !placed.has(step.id) && step.needs.every((need) => placed.has(need)));
    if (!next) {
      const rest = steps.filter((step) => !placed.has(step.id)).map((step) => step.id);
      throw new OsirisError(
        ErrorCodes.INTERNAL,
        `dependency cycle among ${rest.join(', ')} reached the compiler`,
        {
          hint: 'OML validation should have rejected it; this is a bug in Osiris',
        },
      );
    }
    order.push(next.id);
    placed.add(next.id);
  }

  const depth = new Map<string, number>();
  const needsById = new Map(steps.map((step) => [step.id, step.needs]));
  for (const id of order) {
    const needs = needsById.get(id) ?? [];
    depth.set(id, needs.length === 0 ? 0 : 1 + Math.max(...needs.map((need) => depth.get(need) ?? 0)));
  }
  const levels: string[][] = [];
  for (const step of steps) {
    const level = depth.get(step.id) ?? 0;
    while (levels.length <= level) levels.push([]);
    levels[level]!.push(step.id);
  }
  return { order, levels };
}
