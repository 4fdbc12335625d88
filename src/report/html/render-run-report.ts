import type { RunDetails } from '../../observability/logs/run-details.js';
import type { RunIndexRow } from '../../observability/run-index.js';
import { formatCount, formatTimestamp } from '../format.js';
import { renderPage } from './page-shell.js';
import { renderDag } from './render-dag.js';
import { renderErrorBox, renderProblems } from './render-error-box.js';
import { renderEventTable } from './render-event-table.js';
import { renderGantt } from './render-gantt.js';
import { renderManifest } from './render-manifest.js';
import { renderMetricTable } from './render-metric-table.js';
import { renderRunChart } from './render-run-chart.js';
import { renderRunHero } from './render-run-hero.js';
import { renderStepCards, renderStepTable } from './render-steps.js';
import { html } from './safe-html.js';
import { statusClass, statusLabel } from './status-labels.js';

export interface RunReportOptions {
  /** Recent runs of the same pipeline, oldest first, for the history chart. */
  history?: RunIndexRow[];
  /** Relative link to the index page, when one is written next to the report. */
  indexHref?: string;
  generatedAt?: Date;
  /** Relative links to the run's AI Operation Package: the Markdown run card and the JSON core. */
  aiop?: { cardHref: string; jsonHref: string };
}

/** One self-contained HTML page for one run. */
export function renderRunReport(run: RunDetails, options: RunReportOptions = {}): string {
  const generatedAt = formatTimestamp((options.generatedAt ?? new Date()).toISOString(), { utc: true });
  const history =
    options.history && options.history.length > 1
      ? html`<div style="margin-top:18px"><div class="stat" style="display:inline-block;min-width:340px"><div class="label">Recent runs of ${run.pipeline}</div>${renderRunChart(
          options.history,
          run.runId,
        )}</div></div>`
      : undefined;
  const legend = html`<div class="legend">${['success', 'failed', 'skipped', 'cancelled'].map(
    (status) => html`<span><i class="${statusClass(status)}"></i>${statusLabel(status)}</span>`,
  )}<span class="muted">Click a step to see its details.</span></div>`;
  const body = html`
${renderRunHero(run, history)}
${renderErrorBox(run)}
${renderProblems(run.problems)}
<section class="card" id="graph"><h2>Pipeline graph <span class="sub">${run.steps.length} steps in ${run.levels.length} levels</span></h2>
${legend}<div class="scroll graph-box" data-testid="dag">${renderDag(run.steps, run.levels)}</div></section>
<section class="card" id="timeline"><h2>Timeline <span class="sub">when each step ran</span></h2>${renderGantt(run)}</section>
<section class="card" id="steps"><h2>Steps <span class="sub">${run.steps.length} steps</span>
<span class="toolbar"><button class="button" type="button" data-toggle-steps="open">Expand all</button><button class="button" type="button" data-toggle-steps="close">Collapse all</button></span></h2>
${renderStepTable(run)}</section>
<section id="step-details"><h2 class="section-title">Step details</h2>${renderStepCards(run)}</section>
<section class="card" id="events" style="margin-top:20px"><h2>Events <span class="sub">${formatCount(run.events.length)} events</span></h2>${renderEventTable(run)}</section>
<section class="card" id="metrics"><h2>Metrics <span class="sub">${formatCount(run.metrics.length)} records</span></h2>${renderMetricTable(run)}</section>
<section class="card" id="manifest"><h2>Manifest and fingerprints</h2>${renderManifest(run)}</section>
<p class="muted small" style="text-align:center">Session folder: <code>${run.sessionDir}</code></p>`;
  return renderPage({
    title: `${run.pipeline} · ${statusLabel(run.status)} · ${run.runId} — Osiris`,
    nav: [
      { href: '#overview', label: 'Overview' },
      { href: '#graph', label: 'Graph' },
      { href: '#timeline', label: 'Timeline' },
      { href: '#steps', label: 'Steps' },
      { href: '#events', label: 'Events' },
      { href: '#metrics', label: 'Metrics' },
      { href: '#manifest', label: 'Manifest' },
    ],
    ...(options.indexHref || options.aiop
      ? {
          right: html`${options.aiop ? html`<a href="${options.aiop.cardHref}" data-testid="aiop-card">Run card</a> · <a href="${options.aiop.jsonHref}" data-testid="aiop-json">AIOP</a>` : ''}${options.indexHref && options.aiop ? ' · ' : ''}${options.indexHref ? html`<a href="${options.indexHref}">All runs →</a>` : ''}`,
        }
      : {}),
    body,
    generatedAt,
  });
}
