import type { ResolvedConnection } from '../../spec/connection.js';
import type { CursorValue } from '../../spec/incremental.js';
import type { CompiledPipeline } from '../../spec/manifest.js';
import { compareCursorValues, kindOfLiteral } from '../../util/cursor-values.js';
import type { IncrementalStep } from './incremental-plan.js';

type MaxCursor = (
  connection: ResolvedConnection,
  writerConfig: Record<string, unknown>,
  column: string,
) => Promise<string | undefined>;

/** Database writers whose target can tell the largest cursor value it holds. */
const TARGETS: Record<string, () => Promise<MaxCursor>> = {
  'mysql.writer': async () => (await import('../../components/mysql/target-cursor.js')).maxCursorInMysqlTable,
  'postgres.writer': async () => {
    const { maxCursorInPostgresTable } = await import('../../components/postgres/target-cursor.js');
    return (connection, config, column) =>
      maxCursorInPostgresTable(connection, config, column, 'postgres.writer');
  },
  'supabase.writer': async () => {
    const { maxCursorInPostgresTable } = await import('../../components/postgres/target-cursor.js');
    const { hasPostgresProtocol, supabaseSslMode } = await import(
      '../../components/supabase/connection-modes.js'
    );
    return async (connection, config, column) =>
      hasPostgresProtocol(connection)
        ? maxCursorInPostgresTable(connection, config, column, 'supabase.writer', {
            defaultSslMode: supabaseSslMode(connection),
          })
        : undefined;
  },
};

/**
 * A missing state recovered from the target (as Sling does): `max(cursor)` of the table a database
 * writer fed directly by the extractor writes, when the cursor column arrives there unchanged. The
 * smallest of several targets wins, so no target misses rows. Any failure (no table yet, no such
 * column) means nothing to recover: the run then starts from `initial_value`.
 */
export function targetRecovery(
  compiled: CompiledPipeline,
  resolveConnection: (ref: string) => ResolvedConnection,
  onProblem: (step: IncrementalStep, message: string) => void,
): (step: IncrementalStep) => Promise<CursorValue | undefined> {
  return async (incremental) => {
    const direct = incremental.writers.filter((writer) => writer.needs.includes(incremental.step.id));
    if (direct.length === 0 || direct.length !== incremental.writers.length) return undefined;
    const values: CursorValue[] = [];
    for (const writer of direct) {
      const load = TARGETS[writer.component];
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
