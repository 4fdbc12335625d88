import type { Registry } from '../../registry/registry.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import type { CursorValue } from '../../spec/incremental.js';
import type { CompiledPipeline } from '../../spec/manifest.js';
import { compareCursorValues, kindOfLiteral } from '../../util/cursor-values.js';
import type { IncrementalStep } from './incremental-plan.js';

/**
 * A missing state recovered from the target (as Sling does): `max(cursor)` of the table a database
 * writer fed directly by the extractor writes, when the cursor column arrives there unchanged. The
 * smallest of several targets wins, so no target misses rows. Any failure (no table yet, no such
 * column) means nothing to recover: the run then starts from `initial_value`.
 */
export function targetRecovery(
  compiled: CompiledPipeline,
  registry: Registry,
  resolveConnection: (ref: string) => ResolvedConnection,
  onProblem: (step: IncrementalStep, message: string) => void,
): (step: IncrementalStep) => Promise<CursorValue | undefined> {
  return async (incremental) => {
    const direct = incremental.writers.filter((writer) => writer.needs.includes(incremental.step.id));
    if (direct.length === 0 || direct.length !== incremental.writers.length) return undefined;
    const values: CursorValue[] = [];
    for (const writer of direct) {
      const load = registry.get(writer.component)?.loadTargetCursor;
      const config = compiled.cfg[writer.id] ?? {};
      const ref = typeof config.connection === 'string' ? config.connection : writer.connection;
      if (!load || !ref || typeof config.table !== 'string') return undefined;
      try {
        const max = await (await load())(resolveConnection(ref), config, incremental.config.cursor);
        if (max === undefined) return undefined;
        values.push({ value: max, kind: kindOfLiteral(max) });
      } catch (error) {
        onProblem(incremental, error instanceof Error ? error.message : String(error));
        return undefined;
      }
    }
    return values.sort((a, b) => compareCursorValues(a.value, b.value, a.kind))[0];
  };
}
