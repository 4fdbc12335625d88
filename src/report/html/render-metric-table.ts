import type { RunDetails } from '../../observability/logs/run-details.js';
import type { MetricRecord } from '../../spec/events.js';
import { formatBytes, formatCount, formatDuration } from '../format.js';
import { html, type SafeHtml } from './safe-html.js';

export const MAX_METRIC_ROWS = 5000;

export function renderMetricTable(run: RunDetails): SafeHtml {
  const metrics = run.metrics.slice(0, MAX_METRIC_ROWS);
  const names = [...new Set(run.metrics.map((metric) => metric.metric))].sort();
  return html`<div class="filters" data-table="metric-table">
<input type="search" data-filter="text" placeholder="Search metrics…" aria-label="Search metrics">
<select data-filter="metric" aria-label="Metric"><option value="">All metrics</option>${names.map(
    (name) => html`<option value="${name}">${name}</option>`,
  )}</select>
<span class="count" data-count></span></div>
${
  run.metrics.length > MAX_METRIC_ROWS
    ? html`<p class="muted small">Showing the first ${formatCount(MAX_METRIC_ROWS)} of ${formatCount(run.metrics.length)} metrics; all of them are in metrics.jsonl.</p>`
    : ''
}
<div class="scroll table-box"><table id="metric-table" data-testid="metric-table">
<thead><tr><th>Metric</th><th>Step</th><th class="num">Value</th><th>Unit</th><th>Tags</th></tr></thead>
<tbody>${metrics.map(
    (metric) => html`<tr data-metric="${metric.metric}" data-step="${metric.step_id ?? ''}">
<td class="mono small">${metric.metric}</td><td class="wrap small">${metric.step_id ?? html`<span class="muted">run</span>`}</td>
<td class="num" title="${String(metric.value)}">${formatValue(metric)}</td><td class="muted small">${metric.unit}</td>
<td class="fields">${metric.tags ? Object.entries(metric.tags).map(([key, value]) => html`<span><b>${key}</b>=${value} </span>`) : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function formatValue(metric: MetricRecord): string {
  if (typeof metric.value !== 'number' || !Number.isFinite(metric.value)) return String(metric.value);
  if (metric.unit === 'bytes') return formatBytes(metric.value);
  if (metric.unit === 'ms') return formatDuration(metric.value);
  return Number.isInteger(metric.value) ? formatCount(metric.value) : metric.value.toFixed(2);
}
