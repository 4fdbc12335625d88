import type { RunDetails } from '../../observability/logs/run-details.js';
import type { RunEvent } from '../../spec/events.js';
import { formatCount, formatTimestamp } from '../format.js';
import { html, type SafeHtml } from './safe-html.js';

/** Beyond this the page gets heavy to scroll; the full stream stays in events.jsonl. */
export const MAX_EVENT_ROWS = 5000;

const COMMON_FIELDS = new Set(['ts', 'run_id', 'event', 'step_id']);

export function renderEventTable(run: RunDetails): SafeHtml {
  const origin = Date.parse(run.startedAt);
  // Stable sort by time: concurrent steps interleave their events, file order is kept for ties.
  const events = run.events
    .map((event, position) => ({ event, position, at: Date.parse(event.ts) }))
    .sort((left, right) => left.at - right.at || left.position - right.position)
    .slice(0, MAX_EVENT_ROWS)
    .map((entry) => entry.event);
  const names = [...new Set(run.events.map((event) => event.event))].sort();
  const steps = [
    ...new Set(run.events.map((event) => event.step_id).filter((id): id is string => typeof id === 'string')),
  ];
  return html`<div class="filters" data-table="event-table">
<input type="search" data-filter="text" placeholder="Search events…" aria-label="Search events">
<select data-filter="event" aria-label="Event type"><option value="">All events</option>${names.map(
    (name) => html`<option value="${name}">${name}</option>`,
  )}</select>
<select data-filter="step" aria-label="Step"><option value="">All steps</option>${steps.map(
    (step) => html`<option value="${step}">${step}</option>`,
  )}</select>
<span class="count" data-count></span></div>
${
  run.events.length > MAX_EVENT_ROWS
    ? html`<p class="muted small">Showing the first ${formatCount(MAX_EVENT_ROWS)} of ${formatCount(run.events.length)} events; the full stream is in events.jsonl.</p>`
    : ''
}
<div class="scroll table-box"><table id="event-table" data-testid="event-table">
<thead><tr><th class="num">+time</th><th>Event</th><th>Step</th><th>Details</th></tr></thead>
<tbody>${events.map(
    (event) => html`<tr data-event="${event.event}" data-step="${event.step_id ?? ''}">
<td class="num mono small" title="${event.ts}">${offset(event.ts, origin)}</td>
<td><span class="chip ${eventTone(event.event)}">${event.event}</span></td>
<td class="nowrap small">${event.step_id ?? ''}</td><td class="fields">${fields(event)}</td></tr>`,
  )}</tbody></table></div>`;
}

function offset(ts: string, origin: number): string {
  const at = Date.parse(ts);
  if (!Number.isFinite(at) || !Number.isFinite(origin)) return formatTimestamp(ts, { utc: true });
  const seconds = (at - origin) / 1000;
  return `${seconds < 0 ? '-' : '+'}${Math.abs(seconds).toFixed(3)} s`;
}

function fields(event: RunEvent): SafeHtml[] {
  return Object.entries(event)
    .filter(([key]) => !COMMON_FIELDS.has(key))
    .map(
      ([key, value]) =>
        html`<span><b>${key}</b>=${typeof value === 'string' ? value : JSON.stringify(value)} </span>`,
    );
}

export function eventTone(name: string): string {
  if (name === 'run_start' || name === 'run_complete' || name === 'adapter_selected') return 'ev-run';
  if (name === 'step_complete' || name === 'output_written' || name === 'artifact_created') return 'ev-ok';
  if (name === 'step_failed') return 'ev-bad';
  if (name === 'warning' || name === 'step_skipped') return 'ev-warn';
  return '';
}
