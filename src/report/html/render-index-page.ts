import type { RunIndexRow } from '../../observability/run-index.js';
import { formatCount, formatDuration, formatTimestamp } from '../format.js';
import { renderPage } from './page-shell.js';
import { plural, renderRunChart } from './render-run-chart.js';
import { html, type SafeHtml } from './safe-html.js';
import { adapterClass, statusClass, statusLabel } from './status-labels.js';

/** Runs per pipeline drawn in its chart. */
export const CHART_RUNS = 30;
/** Pipeline cards shown, most recently run first; every run is still in the table below. */
export const MAX_PIPELINE_CARDS = 24;

export interface IndexPageOptions {
  /** Runs newest first, straight from the run index. */
  runs: RunIndexRow[];
  /** Link for a run's report, when one exists in the output folder. */
  reportHref(runId: string): string | undefined;
  /** Runs in the index beyond those listed. */
  totalRuns?: number;
  generatedAt?: Date;
}

/** The page listing recent runs, with a card and a rows/duration chart per pipeline. */
export function renderIndexPage(options: IndexPageOptions): string {
  const { runs } = options;
  const pipelines = groupByPipeline(runs);
  const succeeded = runs.filter((run) => run.status === 'success').length;
  const statuses = [...new Set(runs.map((run) => run.status))].sort();
  const names = [...pipelines.keys()].sort();
  const body = html`
<section class="card hero" id="overview">
<div class="hero-title"><h1>Pipeline runs</h1></div>
<div class="meta"><span>Showing the <b>${formatCount(runs.length)}</b> most recent runs${
    options.totalRuns !== undefined && options.totalRuns > runs.length
      ? html` of <b>${formatCount(options.totalRuns)}</b>`
      : ''
  }</span></div>
<div class="stats">
${stat('Runs', formatCount(runs.length))}
${stat('Succeeded', runs.length ? `${Math.round((succeeded / runs.length) * 100)}%` : '–')}
${stat('Pipelines', formatCount(pipelines.size))}
${stat('Rows', formatCount(runs.reduce((sum, run) => sum + run.total_rows, 0)))}
</div>
</section>
<section class="card" id="pipelines"><h2>Pipelines <span class="sub">rows and duration of the last ${CHART_RUNS} runs each</span></h2>
${runs.length === 0 ? html`<p class="muted">No runs yet. Run a pipeline with <code>osiris run</code>, then <code>osiris logs html</code>.</p>` : ''}
<div class="pipelines">${[...pipelines.entries()]
    .slice(0, MAX_PIPELINE_CARDS)
    .map(([name, pipelineRuns]) => pipelineCard(name, pipelineRuns, options))}</div>${
    pipelines.size > MAX_PIPELINE_CARDS
      ? html`<p class="muted small">${formatCount(pipelines.size - MAX_PIPELINE_CARDS)} more pipelines are in the table below.</p>`
      : ''
  }
</section>
<section class="card" id="runs"><h2>Runs</h2>
<div class="filters" data-table="run-table">
<input type="search" data-filter="text" placeholder="Search runs…" aria-label="Search runs">
<select data-filter="status" aria-label="Status"><option value="">All statuses</option>${statuses.map(
    (status) => html`<option value="${status}">${statusLabel(status)}</option>`,
  )}</select>
<select data-filter="pipeline" aria-label="Pipeline"><option value="">All pipelines</option>${names.map(
    (name) => html`<option value="${name}">${name}</option>`,
  )}</select>
<span class="count" data-count></span></div>
<div class="scroll table-box" style="max-height:640px"><table id="run-table" data-testid="run-table">
<thead><tr><th>Run</th><th>Pipeline</th><th>Status</th><th>Started (UTC)</th><th class="num">Duration</th><th class="num">Rows</th><th>Adapter</th></tr></thead>
<tbody>${runs.map((run) => runRow(run, options.reportHref(run.run_id)))}</tbody></table></div>
</section>`;
  return renderPage({
    title: 'Pipeline runs — Osiris',
    nav: [
      { href: '#overview', label: 'Overview' },
      { href: '#pipelines', label: 'Pipelines' },
      { href: '#runs', label: 'Runs' },
    ],
    body,
    generatedAt: formatTimestamp((options.generatedAt ?? new Date()).toISOString(), { utc: true }),
  });
}

function runRow(run: RunIndexRow, href: string | undefined): SafeHtml {
  return html`<tr data-status="${run.status}" data-pipeline="${run.pipeline}">
<td class="mono small nowrap">${href ? html`<a href="${href}">${run.run_id}</a>` : html`<span title="no report yet: osiris logs html ${run.run_id}">${run.run_id}</span>`}</td>
<td class="wrap">${run.pipeline}</td>
<td class="nowrap"><span class="pill ${statusClass(run.status)}">${statusLabel(run.status)}</span>${
    run.error_code ? html` <span class="chip ev-bad">${run.error_code}</span>` : ''
  }</td>
<td class="nowrap small">${formatTimestamp(run.started_at, { utc: true }).replace(' UTC', '')}</td>
<td class="num">${formatDuration(run.duration_ms)}</td><td class="num">${formatCount(run.total_rows)}</td>
<td><span class="badge ${adapterClass(run.adapter)}">${run.adapter}</span></td></tr>`;
}

function pipelineCard(name: string, runsNewestFirst: RunIndexRow[], options: IndexPageOptions): SafeHtml {
  const latest = runsNewestFirst[0];
  const succeeded = runsNewestFirst.filter((run) => run.status === 'success').length;
  const recent = runsNewestFirst.slice(0, CHART_RUNS).reverse();
  const href = latest ? options.reportHref(latest.run_id) : undefined;
  return html`<div class="pipeline-card" data-pipeline="${name}">
<h3><span class="name" title="${name}">${name}</span>${latest ? html`<span class="pill ${statusClass(latest.status)}">${statusLabel(latest.status)}</span>` : ''}</h3>
<div class="meta small"><span>${plural(runsNewestFirst.length, 'run')}</span><span><b>${Math.round(
    (succeeded / Math.max(1, runsNewestFirst.length)) * 100,
  )}%</b> succeeded</span>${
    latest
      ? html`<span>last ${href ? html`<a href="${href}">${formatTimestamp(latest.started_at, { utc: true })}</a>` : formatTimestamp(latest.started_at, { utc: true })}</span>`
      : ''
  }</div>
${renderRunChart(recent)}
</div>`;
}

function groupByPipeline(runs: RunIndexRow[]): Map<string, RunIndexRow[]> {
  const groups = new Map<string, RunIndexRow[]>();
  for (const run of runs) {
    const list = groups.get(run.pipeline) ?? [];
    list.push(run);
    groups.set(run.pipeline, list);
  }
  return groups;
}

function stat(label: string, value: string): SafeHtml {
  return html`<div class="stat"><div class="label">${label}</div><div class="value">${value}</div></div>`;
}
