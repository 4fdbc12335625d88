import type { RunIndexRow } from '../../observability/run-index.js';
import { formatCount, formatDuration, formatTimestamp } from '../format.js';
import { html, type SafeHtml } from './safe-html.js';
import { statusClass } from './status-labels.js';

const WIDTH = 320;
const HEIGHT = 96;
const TOP = 14;
const BOTTOM = 14;
/** Statuses drawn as a full-height band, so a run that moved no rows is still seen. */
const UNSUCCESSFUL = new Set(['failed', 'cancelled', 'crashed']);

/**
 * Rows (bars, coloured by status) and duration (line) of recent runs of one pipeline, oldest on
 * the left. Each scale has its own maximum, printed at the top; the bottom axis gives the start
 * time (UTC) of the first and last run. A failed or cancelled run, which usually moved no rows,
 * is a full-height tinted band with a mark above it rather than an invisible sliver.
 */
export function renderRunChart(runsOldestFirst: RunIndexRow[], currentRunId?: string): SafeHtml {
  if (runsOldestFirst.length === 0) return html``;
  const largestRows = Math.max(0, ...runsOldestFirst.map((run) => run.total_rows));
  const longest = Math.max(0, ...runsOldestFirst.map((run) => run.duration_ms ?? 0));
  const maxRows = Math.max(1, largestRows);
  const maxDuration = Math.max(1, longest);
  const slot = WIDTH / runsOldestFirst.length;
  const barWidth = Math.max(2, Math.min(22, slot * 0.7));
  const plot = HEIGHT - TOP - BOTTOM;
  const points: string[] = [];
  const bars = runsOldestFirst.map((run, index) => {
    const x = index * slot + (slot - barWidth) / 2;
    const height = Math.max(1.5, (run.total_rows / maxRows) * plot);
    const y = TOP + plot - height;
    if (run.duration_ms !== null) {
      points.push(
        `${(index * slot + slot / 2).toFixed(1)},${(TOP + plot - (run.duration_ms / maxDuration) * plot).toFixed(1)}`,
      );
    }
    const current = run.run_id === currentRunId ? ' current' : '';
    const band = UNSUCCESSFUL.has(run.status)
      ? html`<rect class="fail-band ${statusClass(run.status)}" data-status="${run.status}" x="${(index * slot + 0.5).toFixed(1)}" y="${TOP}" width="${Math.max(1, slot - 1).toFixed(1)}" height="${plot}"/><text class="fail-mark ${statusClass(run.status)}" x="${(index * slot + slot / 2).toFixed(1)}" y="${TOP - 2}" text-anchor="middle">${run.status === 'failed' ? '✕' : '■'}</text>`
      : '';
    return html`${band}<rect class="bar ${statusClass(run.status)}${current}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" rx="2"><title>${`${run.run_id}\n${run.status} · ${formatCount(run.total_rows)} rows · ${formatDuration(run.duration_ms)}\n${formatTimestamp(run.started_at, { utc: true })}`}</title></rect>`;
  });
  const first = runsOldestFirst[0];
  const last = runsOldestFirst[runsOldestFirst.length - 1];
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="Rows and duration of recent runs">
<text class="axis" x="0" y="9">${formatCount(largestRows)} rows</text>
<text class="axis" x="${WIDTH}" y="9" text-anchor="end">${formatDuration(longest)}</text>
<line class="base" x1="0" y1="${TOP + plot + 0.5}" x2="${WIDTH}" y2="${TOP + plot + 0.5}"/>
${bars}
${points.length > 1 ? html`<polyline class="line" points="${points.join(' ')}"/>` : ''}
${points.map((point) => {
  const [x, y] = point.split(',');
  return html`<circle class="dot" cx="${x}" cy="${y}" r="2.2"/>`;
})}
<text class="axis" data-axis="start" x="0" y="${HEIGHT - 2}">${axisTime(first?.started_at)}</text>
<text class="axis" data-axis="end" x="${WIDTH}" y="${HEIGHT - 2}" text-anchor="end">${axisTime(last?.started_at)}</text>
</svg>
<div class="chart-legend"><span><i style="background:#86efac"></i>rows (bar colour = status)</span><span><i style="background:var(--accent)"></i>duration</span>${
    runsOldestFirst.some((run) => UNSUCCESSFUL.has(run.status))
      ? html`<span><i style="background:var(--failed);opacity:.35"></i>failed / cancelled</span>`
      : ''
  }<span>last ${plural(runsOldestFirst.length, 'run')}</span></div>`;
}

/** `2026-12-02 18:04 UTC`: the axis shows when, to the minute. */
function axisTime(iso: string | undefined): string {
  const text = formatTimestamp(iso, { utc: true });
  return text === '–' ? text : `${text.slice(0, 16)} UTC`;
}

export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
