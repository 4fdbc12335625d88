import type { RunDetails } from '../../observability/logs/run-details.js';
import { formatBytes, formatCount, formatDuration, formatRate, formatTimestamp } from '../format.js';
import { html, type SafeHtml } from './safe-html.js';
import { adapterClass, statusClass, statusLabel } from './status-labels.js';

/** Pipeline name, status, adapter and the handful of numbers people look for first. */
export function renderRunHero(run: RunDetails, history?: SafeHtml): SafeHtml {
  const counts = countStatuses(run);
  const description = run.manifest?.value?.pipeline?.description;
  const stepDetail = [
    counts.failed ? `${counts.failed} failed` : '',
    counts.skipped ? `${counts.skipped} skipped` : '',
    counts.cancelled ? `${counts.cancelled} cancelled` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return html`<section class="card hero" id="overview">
<div class="hero-title">
<h1>${run.pipeline}</h1>
<span class="pill big ${statusClass(run.status)}" data-testid="run-status">${statusLabel(run.status)}</span>
<span class="badge ${adapterClass(run.adapter)}" title="execution adapter">⚙ ${run.adapter}</span>
</div>
${description ? html`<p class="description">${description}</p>` : ''}
<div class="meta">
<span>Run <b class="mono" data-testid="run-id">${run.runId}</b></span>
<span>Started <b>${formatTimestamp(run.startedAt, { utc: true })}</b></span>
${run.finishedAt ? html`<span>Finished <b>${formatTimestamp(run.finishedAt, { utc: true })}</b></span>` : ''}
</div>
<div class="stats">
${stat('Duration', formatDuration(run.durationMs), run.finishedAt ? '' : 'still running or interrupted')}
${stat('Rows', formatCount(run.totalRows), 'written by the pipeline')}
${stat('Steps succeeded', `${counts.success} / ${run.steps.length}`, stepDetail || 'all succeeded')}
${stat('Throughput', `${formatRate(run.totalRows, run.durationMs)}`, 'rows per second')}
${run.peakRssBytes !== undefined ? stat('Peak memory', formatBytes(run.peakRssBytes), 'resident set size') : ''}
</div>
${history ?? ''}
</section>`;
}

function stat(label: string, value: string, detail: string): SafeHtml {
  return html`<div class="stat"><div class="label">${label}</div><div class="value">${value}</div><div class="detail">${detail || ' '}</div></div>`;
}

function countStatuses(run: RunDetails): Record<string, number> {
  const counts: Record<string, number> = { success: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const step of run.steps) counts[step.status] = (counts[step.status] ?? 0) + 1;
  return counts;
}
