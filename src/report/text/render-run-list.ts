import type { RunIndexRow } from '../../observability/run-index.js';
import { formatCount, formatDuration, formatTimestamp } from '../format.js';
import { type Colors, colorStatus } from './status-color.js';
import { renderTextTable } from './text-table.js';

/** `osiris logs list` as a table; start times in the local time zone. */
export function renderRunList(runs: RunIndexRow[], colors: Colors): string {
  if (runs.length === 0)
    return colors.dim('No runs match. Run a pipeline with `osiris run`, or widen the filters.');
  return renderTextTable(
    [
      { header: 'run id' },
      { header: 'pipeline' },
      { header: 'status' },
      { header: 'start' },
      { header: 'duration', align: 'right' },
      { header: 'rows', align: 'right' },
      { header: 'adapter' },
    ],
    runs.map((run) => [
      run.run_id,
      run.pipeline,
      colorStatus(colors, run.status),
      formatTimestamp(run.started_at),
      formatDuration(run.duration_ms),
      formatCount(run.total_rows),
      colors.dim(run.adapter),
    ]),
  );
}
