import { stepDependencies } from '../spec/checks.js';
import type { ComponentSpec } from '../spec/component.js';
import type { ManifestStep, StreamEdgePlan } from '../spec/manifest.js';

/**
 * The edges whose rows stream from producer to consumer instead of through a data-plane table.
 * An edge streams when nothing else needs the producer's output as a table:
 * - the producer can publish a stream (`capabilities.streamsOutput`), has no checks (they read
 *   its output), no `incremental` (the new cursor is measured on its output) and no
 *   `materialize: true`;
 * - it has exactly one consumer (no other step needs it or reads it in a relationship check);
 * - that consumer reads one input once, start to end (`capabilities.readsInputOnce`), needs
 *   nothing else, has no checks (a writer's checks audit its input before writing), and does not
 *   say `materialize: true` either (either end may ask for the table).
 * Everything else is materialised as before. The result is in declaration order, so the plan
 * stays byte-identical for equal inputs.
 */
export function streamEdges(
  steps: readonly ManifestStep[],
  cfg: Readonly<Record<string, Record<string, unknown>>>,
  specOf: (component: string) => ComponentSpec | undefined,
): StreamEdgePlan[] {
  const edges: StreamEdgePlan[] = [];
  for (const producer of steps) {
    if (!specOf(producer.component)?.capabilities.streamsOutput) continue;
    if (producer.materialize || producer.checks?.length) continue;
    if (cfg[producer.id]?.incremental !== undefined) continue;
    const consumers = steps.filter((step) => stepDependencies(step).includes(producer.id));
    if (consumers.length !== 1) continue;
    const consumer = consumers[0]!;
    if (!specOf(consumer.component)?.capabilities.readsInputOnce) continue;
    if (consumer.checks?.length || consumer.materialize) continue;
    const needs = stepDependencies(consumer);
    if (needs.length !== 1) continue;
    edges.push({ from: producer.id, to: consumer.id });
  }
  return edges;
}
