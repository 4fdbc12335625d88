import type { RunStatusFile } from '../spec/events.js';
import type { Manifest } from '../spec/manifest.js';
import { formatCount } from './progress.js';

/**
 * What the row count of a run summary means, said in the summary: `2 rows written` for one writer;
 * with several, the rows delivered (each input counted once, see `total_rows`) and one line naming
 * every writer's own count, so 150 rows to CSV and Parquet read as 150, written twice.
 */
export function describeRows(
  status: Pick<RunStatusFile, 'total_rows' | 'steps'>,
  manifest: Pick<Manifest, 'steps'> | undefined,
): { head: string; outputs?: string } {
  const total = formatCount(status.total_rows);
  const writers = (manifest?.steps ?? []).filter((step) => step.mode === 'write').map((step) => step.id);
  if (writers.length === 0) return { head: `${total} rows` };
  if (writers.length === 1) return { head: `${total} rows written` };
  const rows = new Map(status.steps.map((step) => [step.id, step]));
  const outputs = writers
    .map((id) => {
      const step = rows.get(id);
      const state = step && step.status !== 'success' ? ` (${step.status})` : '';
      return `${id} ${formatCount(step?.rows ?? 0)} rows${state}`;
    })
    .join(' · ');
  return { head: `${total} rows to ${writers.length} outputs`, outputs };
}
