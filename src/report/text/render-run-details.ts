import type { RunDetails } from '../../observability/logs/run-details.js';
import type { RunEvent } from '../../spec/events.js';
import { formatBytes, formatCount, formatDuration, formatRate, formatTimestamp } from '../format.js';
import { type Colors, colorStatus } from './status-color.js';
import { renderTextTable } from './text-table.js';

/** `osiris logs show`: summary, per-step table, then every error with its hint. */
export function renderRunDetails(run: RunDetails, colors: Colors): string {
  const lines: string[] = [];
  lines.push(
    `${colors.bold(run.pipeline)}  ${colorStatus(colors, run.status)}  ${colors.dim(`[${run.adapter}]`)}`,
  );
  lines.push(`  run:      ${run.runId}`);
  lines.push(`  started:  ${formatTimestamp(run.startedAt)}`);
  lines.push(`  duration: ${formatDuration(run.durationMs)}`);
  lines.push(`  rows:     ${formatCount(run.totalRows)}`);
  if (run.peakRssBytes !== undefined) lines.push(`  memory:   ${formatBytes(run.peakRssBytes)} peak`);
  lines.push(`  session:  ${run.sessionDir}`);
  lines.push('');
  lines.push(
    renderTextTable(
      [
        { header: 'step' },
        { header: 'component' },
        { header: 'status' },
        { header: 'rows', align: 'right' },
        { header: 'duration', align: 'right' },
        { header: 'rows/s', align: 'right' },
      ],
      run.steps.map((step) => [
        step.id,
        colors.dim(step.component),
        colorStatus(colors, step.status),
        formatCount(step.rows),
        formatDuration(step.durationMs),
        formatRate(step.rows, step.durationMs),
      ]),
    ),
  );
  const failed = run.steps.filter((step) => step.error);
  if (failed.length > 0 || (run.error && run.status !== 'success')) lines.push('');
  for (const step of failed) {
    lines.push(
      `${colors.red('✖')} ${step.id}: ${colors.red(step.error?.code ?? '')} ${step.error?.message ?? ''}`,
    );
    if (step.error?.hint) lines.push(`  ${colors.cyan('hint:')} ${step.error.hint}`);
  }
  if (run.error && run.status !== 'success' && !failed.some((step) => step.id === run.error?.stepId)) {
    lines.push(`${colors.red('✖')} ${colors.red(run.error.code)} ${run.error.message}`);
    if (run.error.hint) lines.push(`  ${colors.cyan('hint:')} ${run.error.hint}`);
  }
  for (const step of run.steps.filter((candidate) => candidate.skipped)) {
    lines.push(
      colors.dim(`↷ ${step.id}: skipped, upstream step '${step.skipped?.upstream ?? '?'}' did not succeed`),
    );
  }
  for (const step of run.steps.filter((candidate) => candidate.incremental)) {
    const window = step.incremental!;
    const bounds = window.from ? `${window.cursor} >= ${window.from}` : `every ${window.cursor}`;
    lines.push(
      `${colors.cyan('⟳')} ${step.id}: window ${bounds}${window.to ? ` < ${window.to}` : ''} (${window.origin}), ` +
        `${step.rowsRead ?? step.rows} rows read${window.committed ? `, stored ${window.committed}` : ', state unchanged'}`,
    );
  }
  for (const problem of run.problems) lines.push(colors.yellow(`! ${problem}`));
  return lines.join('\n');
}

const COMMON = new Set(['ts', 'run_id', 'event', 'step_id']);

/** The event stream, one line each: time, event, step, remaining fields. */
export function renderEventStream(events: RunEvent[], colors: Colors): string {
  return events
    .map((event) => {
      const fields = Object.entries(event)
        .filter(([key]) => !COMMON.has(key))
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      const name = event.event === 'step_failed' ? colors.red(event.event) : colors.cyan(event.event);
      return `${colors.dim(event.ts)} ${name}${event.step_id ? ` ${colors.bold(String(event.step_id))}` : ''}${fields ? ` ${fields}` : ''}`;
    })
    .join('\n');
}
