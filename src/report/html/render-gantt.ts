import type { RunDetails, StepDetails } from '../../observability/logs/run-details.js';
import { formatDuration, formatTimestamp } from '../format.js';
import { html, type SafeHtml } from './safe-html.js';
import { statusClass, statusLabel } from './status-labels.js';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/**
 * When each step ran, relative to the run start, from its step_start and finishing event times.
 * Steps that never started are marked where they were skipped (or not at all).
 */
export function renderGantt(run: RunDetails): SafeHtml {
  const origin = Date.parse(run.startedAt);
  const end = Math.max(
    origin + (run.durationMs ?? 0),
    ...run.steps.map((step) => time(step.finishedAt) ?? time(step.startedAt) ?? origin),
    ...(run.finishedAt ? [Date.parse(run.finishedAt)] : []),
  );
  const span = Math.max(1, end - origin);
  const percent = (ms: number) => Math.min(100, Math.max(0, ((ms - origin) / span) * 100));
  return html`<div class="scroll gantt" data-testid="gantt">
<div class="gantt-row gantt-head"><div class="gantt-label muted small">step</div><div class="gantt-axis">${TICKS.map(
    (tick) =>
      html`<span style="left:${(tick * 100).toFixed(2)}%" title="${formatTimestamp(new Date(origin + span * tick).toISOString(), { utc: true })}">${
        tick === 0 ? clockTime(origin) : `+${formatDuration(span * tick)}`
      }</span>`,
  )}</div></div>
${run.steps.map((step, index) => row(step, index, percent))}
</div>`;
}

function row(step: StepDetails, index: number, percent: (ms: number) => number): SafeHtml {
  const started = time(step.startedAt);
  const finished = time(step.finishedAt);
  let bar: SafeHtml;
  if (started !== undefined) {
    const left = percent(started);
    const right = percent(finished ?? started + (step.durationMs ?? 0));
    const width = Math.max(0.3, right - left);
    const label = `${formatDuration(step.durationMs ?? (finished ?? started) - started)}${step.status === 'success' ? '' : ` · ${statusLabel(step.status).toLowerCase()}`}`;
    bar = html`<div class="gantt-bar ${statusClass(step.status)}" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%"></div>${note(
      label,
      left,
      left + width,
    )}`;
  } else if (finished !== undefined) {
    // Never started: no bar, only a note where the run gave up on it.
    const at = percent(finished);
    bar = note(
      step.skipped?.upstream
        ? `↷ skipped: '${step.skipped.upstream}' did not succeed`
        : `↷ ${statusLabel(step.status).toLowerCase()}`,
      at,
      at,
      'skipped',
    );
  } else {
    bar = note(statusLabel(step.status).toLowerCase(), 0, 0, 'skipped');
  }
  return html`<div class="gantt-row"><div class="gantt-label"><a href="#step-${index}" title="${step.id}">${step.id}</a></div><div class="gantt-track">${bar}</div></div>`;
}

/** Duration text beside the bar: after it when there is room, else before it, else inside it. */
function note(text: string, left: number, right: number, tone = ''): SafeHtml {
  const classes = `gantt-note${tone ? ` ${tone}` : ''}`;
  if (right <= 72)
    return html`<span class="${classes}" style="left:calc(${right.toFixed(3)}% + 6px)">${text}</span>`;
  if (left >= 28)
    return html`<span class="${classes}" style="right:calc(${(100 - left).toFixed(3)}% + 6px)">${text}</span>`;
  return html`<span class="${classes} inside" style="left:calc(${left.toFixed(3)}% + 8px)">${text}</span>`;
}

/** The run's start as `18:04:05 UTC`, so the axis says when as well as how long. */
function clockTime(ms: number): string {
  if (!Number.isFinite(ms)) return formatDuration(0);
  return `${formatTimestamp(new Date(ms).toISOString(), { utc: true }).slice(11, 19)} UTC`;
}

function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const value = Date.parse(iso);
  return Number.isFinite(value) ? value : undefined;
}
