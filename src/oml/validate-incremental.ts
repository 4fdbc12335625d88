import type { ComponentSpec } from '../spec/component.js';
import { compareCursorValues, kindOfLiteral } from '../util/cursor-values.js';
import { OmlCodes } from './codes.js';
import type { DiagnosticCollector } from './diagnostic-collector.js';
import { isRecord } from './values.js';

/**
 * `config.incremental`: only components whose spec says they can read incrementally accept it,
 * and a closed window must end after it starts. The shape of the mapping is the JSON Schema's job.
 */
export function validateIncremental(
  spec: ComponentSpec,
  config: Record<string, unknown>,
  base: Array<string | number>,
  reported: Set<string>,
  collector: DiagnosticCollector,
): void {
  if (!('incremental' in config)) return;
  if (!spec.capabilities.incremental) {
    reported.add('incremental');
    collector.error(
      OmlCodes.INCREMENTAL_UNSUPPORTED,
      [...base, 'incremental'],
      `${spec.name} cannot read incrementally`,
      {
        at: 'key',
        hint:
          'incremental extraction works with the database extractors (mysql, postgres, supabase, duckdb, ' +
          'sqlite), rest.extractor and posthog.extractor; remove `incremental` here',
      },
    );
    return;
  }
  const incremental = config.incremental;
  if (!isRecord(incremental)) return;
  const start = incremental.initial_value;
  const end = incremental.end_value;
  if (!isLiteral(start) || !isLiteral(end)) return;
  const kind = kindOfLiteral(start);
  if (compareCursorValues(String(end), String(start), kind) <= 0) {
    reported.add('incremental');
    collector.error(
      OmlCodes.INCREMENTAL_WINDOW_INVALID,
      [...base, 'incremental', 'end_value'],
      `\`end_value\` ${JSON.stringify(end)} is not after \`initial_value\` ${JSON.stringify(start)}: the window would be empty`,
      {
        hint: 'the window reads initial_value ≤ cursor < end_value; swap the values or move end_value later',
      },
    );
  }
}

function isLiteral(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}
