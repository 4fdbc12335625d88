import type { RunDetails, StepDetails } from '../../observability/logs/run-details.js';
import { MASK } from '../../observability/redaction.js';
import { formatBytes, formatCount, formatDuration, formatRate, formatTimestamp } from '../format.js';
import { messageClass } from './render-error-box.js';
import { html, type SafeHtml } from './safe-html.js';
import { statusClass, statusLabel } from './status-labels.js';

/** Small runs show every card open; large ones open only the cards that need attention. */
const OPEN_ALL_UP_TO = 8;

export function renderStepTable(run: RunDetails): SafeHtml {
  return html`<div class="scroll table-box"><table id="step-table" data-testid="step-table">
<thead><tr><th>Step</th><th>Component</th><th>Status</th><th class="num">Rows</th><th class="num">Duration</th><th class="num">Rows/s</th></tr></thead>
<tbody>${run.steps.map(
    (step, index) => html`<tr data-status="${step.status}">
<td class="wrap"><a href="#step-${index}">${step.id}</a></td><td class="mono small">${step.component}</td>
<td><span class="pill ${statusClass(step.status)}">${statusLabel(step.status)}</span></td>
<td class="num">${formatCount(step.rows)}</td><td class="num">${formatDuration(step.durationMs)}</td>
<td class="num">${formatRate(step.rows, step.durationMs)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function renderStepCards(run: RunDetails): SafeHtml {
  const openAll = run.steps.length <= OPEN_ALL_UP_TO;
  return html`<div class="step-list">${run.steps.map((step, index) =>
    stepCard(step, index, openAll || step.status === 'failed'),
  )}</div>`;
}

function stepCard(step: StepDetails, index: number, open: boolean): SafeHtml {
  return html`<details class="step-card ${statusClass(step.status)}" id="step-${index}" data-step="${step.id}"${
    open ? html` open` : ''
  }>
<summary><span class="step-name">${step.id}</span><span class="chip">${step.component}</span>
<span class="pill ${statusClass(step.status)}">${statusLabel(step.status)}</span>
<span class="step-summary-right"><span><b>${formatCount(step.rows)}</b> rows</span><span><b>${formatDuration(
    step.durationMs,
  )}</b></span></span></summary>
${facts(step)}
<div class="step-body">
<div>${step.error ? stepError(step) : ''}${step.skipped ? skipped(step) : ''}
<h3>Config</h3>${configTable(step.config)}
${step.warnings.length > 0 ? html`<h3>Warnings</h3><ul class="small">${step.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>` : ''}
</div>
<div><h3>Details</h3>${details(step)}
${step.outputs.length > 0 ? html`<h3>Outputs</h3>${fileList(step.outputs.map((output) => ({ path: output.path, size: outputSize(output) })))}` : ''}
${
  step.artifacts.length > 0
    ? html`<h3>Artifacts</h3>${fileList(
        step.artifacts.map((artifact) => ({ path: artifact.path, size: formatBytes(artifact.bytes) })),
      )}`
    : ''
}
</div>
</div>
${step.checks?.length ? checksSection(step) : ''}
${step.schema || step.sample ? outputSection(step) : ''}
</details>`;
}

const CHECK_OUTCOMES = {
  passed: { label: 'Passed', status: 'success' },
  warned: { label: 'Warned', status: 'cancelled' },
  failed: { label: 'Failed', status: 'failed' },
} as const;

/** The step's data checks: each with its outcome, what was observed and the offending rows (redacted). */
function checksSection(step: StepDetails): SafeHtml {
  const checks = step.checks ?? [];
  const counts = (['passed', 'warned', 'failed'] as const)
    .map((outcome) => [outcome, checks.filter((check) => check.outcome === outcome).length] as const)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome}`)
    .join(' · ');
  return html`<div class="step-output" data-testid="step-checks">
<h3>Checks <span class="sub">${counts}</span></h3>
<div class="scroll output-box"><table class="schema"><thead><tr><th>Check</th><th>Severity</th><th>Outcome</th><th>Observed</th></tr></thead><tbody>${checks.map(
    (
      check,
    ) => html`<tr data-check="${check.name}" data-outcome="${check.outcome}"><td class="mono">${check.name}</td><td>${check.severity}</td>
<td><span class="pill ${statusClass(CHECK_OUTCOMES[check.outcome].status)}">${CHECK_OUTCOMES[check.outcome].label}</span></td><td>${check.observed}</td></tr>`,
  )}</tbody></table></div>
${checks.map((check) =>
  check.sample && check.sample.rows.length > 0
    ? html`<h3>Offending rows of ${check.name} <span class="sub">first ${formatCount(check.sample.rows.length)}, secrets masked</span></h3>
<div class="scroll output-box"><table class="sample" data-testid="check-sample"><thead><tr>${check.sample.columns.map(
        (name) => html`<th>${name}</th>`,
      )}</tr></thead><tbody>${check.sample.rows.map(
        (row) =>
          html`<tr>${check.sample!.columns.map((name) => html`<td class="mono">${sampleCell(row[name])}</td>`)}</tr>`,
      )}</tbody></table></div>`
    : '',
)}
</div>`;
}

/** The output table: each column with its type and, when recorded, the first rows (redacted). */
function outputSection(step: StepDetails): SafeHtml {
  const columns = step.schema?.columns ?? step.sample?.columns.map((name) => ({ name, type: '' })) ?? [];
  const sample = step.sample;
  const rowsNote =
    step.schema?.rows !== undefined
      ? html` <span class="sub">${formatCount(step.schema.rows)} rows</span>`
      : '';
  return html`<div class="step-output" data-testid="step-output">
<h3>Output schema${rowsNote}</h3>
<div class="scroll output-box"><table class="schema" data-testid="output-schema"><thead><tr><th>Column</th><th>Type</th><th>Nullable</th></tr></thead><tbody>${columns.map(
    (column) =>
      html`<tr><td class="mono">${column.name}</td><td class="mono">${column.type}</td><td>${
        'nullable' in column && typeof column.nullable === 'boolean' ? (column.nullable ? 'yes' : 'no') : '–'
      }</td></tr>`,
  )}</tbody></table></div>
${
  sample
    ? html`<h3>Sample <span class="sub">first ${formatCount(sample.rows.length)} rows, secrets masked</span></h3>
<div class="scroll output-box"><table class="sample" data-testid="output-sample"><thead><tr>${sample.columns.map(
        (name) => html`<th>${name}</th>`,
      )}</tr></thead><tbody>${sample.rows.map(
        (row) =>
          html`<tr>${sample.columns.map((name) => html`<td class="mono">${sampleCell(row[name])}</td>`)}</tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted small">No sample rows were kept for this run (<code>--no-samples</code>).</p>`
}
</div>`;
}

function sampleCell(value: unknown): SafeHtml | string {
  if (value === null || value === undefined) return html`<span class="muted">NULL</span>`;
  if (value === MASK) return html`<span class="masked" title="masked secret">${MASK}</span>`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function stepError(step: StepDetails): SafeHtml {
  const error = step.error!;
  return html`<div class="error-box"><h2><span class="code">${error.code}</span></h2><p class="${messageClass(error.message)}">${error.message}</p>${
    error.hint ? html`<div class="hint">${error.hint}</div>` : ''
  }</div>`;
}

function skipped(step: StepDetails): SafeHtml {
  const upstream = step.skipped?.upstream;
  return html`<div class="notice">Skipped${upstream ? html`: upstream step <b>${upstream}</b> did not succeed` : ''} (${
    step.skipped?.reason ?? 'skipped'
  }).</div>`;
}

/** The step's numbers as a row of tiles: what was read and written, how long, how fast. */
function facts(step: StepDetails): SafeHtml {
  const tiles: Array<[string, string]> = [];
  if (step.rowsRead !== undefined) tiles.push(['rows read', formatCount(step.rowsRead)]);
  if (step.rowsWritten !== undefined) tiles.push(['rows written', formatCount(step.rowsWritten)]);
  tiles.push(['rows out', formatCount(step.rows)]);
  tiles.push(['duration', formatDuration(step.durationMs)]);
  tiles.push(['rows/s', formatRate(step.rows, step.durationMs)]);
  if (step.bytesWritten !== undefined) tiles.push(['bytes written', formatBytes(step.bytesWritten)]);
  return html`<div class="step-facts">${tiles.map(
    ([label, value]) =>
      html`<div class="fact"><div class="label">${label}</div><div class="value">${value}</div></div>`,
  )}</div>`;
}

/** `updated_at ≥ 2024-01-01 (state) → stored 2024-02-01`: what an incremental extractor read. */
export function windowText(step: StepDetails): string {
  const window = step.incremental;
  if (!window) return '';
  const bounds = [
    window.from ? `${window.cursor} ≥ ${window.from}` : `every ${window.cursor}`,
    ...(window.to ? [`< ${window.to}`] : []),
  ].join(' ');
  return `${bounds} (${window.origin.replace('_', ' ')})${window.committed ? ` → stored ${window.committed}` : ', state unchanged'}`;
}

function details(step: StepDetails): SafeHtml {
  const rows: Array<[string, string | SafeHtml]> = [];
  if (step.mode) rows.push(['mode', step.mode]);
  if (step.connection) rows.push(['connection', html`<code>${step.connection}</code>`]);
  if (step.incremental) rows.push(['incremental window', windowText(step)]);
  const strategy = step.mode === 'write' ? step.config?.write_mode : undefined;
  if (typeof strategy === 'string') rows.push(['write strategy', strategy]);
  rows.push(['needs', step.needs.length > 0 ? step.needs.join(', ') : '–']);
  if (step.startedAt) rows.push(['started', formatTimestamp(step.startedAt, { utc: true })]);
  if (step.finishedAt) rows.push(['finished', formatTimestamp(step.finishedAt, { utc: true })]);
  return html`<table class="kv"><tbody>${rows.map(([key, value]) => html`<tr><td>${key}</td><td>${value}</td></tr>`)}</tbody></table>`;
}

/** Config values as written (already masked); `***` is shown as a labelled secret, never a value. */
function configTable(config: Record<string, unknown> | undefined): SafeHtml {
  if (!config || Object.keys(config).length === 0)
    return html`<p class="muted small">No config recorded.</p>`;
  return html`<table class="kv" data-testid="step-config"><tbody>${Object.entries(config).map(
    ([key, value]) => html`<tr><td>${key}</td><td>${configValue(value)}</td></tr>`,
  )}</tbody></table>`;
}

function configValue(value: unknown): SafeHtml {
  if (value === MASK) return html`<span class="masked" title="masked secret">${MASK}</span>`;
  if (typeof value === 'string') {
    return value.includes('\n') || value.length > 80
      ? html`<pre class="code">${value}</pre>`
      : html`<code>${value}</code>`;
  }
  if (value !== null && typeof value === 'object') {
    return html`<pre class="code">${JSON.stringify(value, null, 2)}</pre>`;
  }
  return html`<code>${String(value)}</code>`;
}

function fileList(files: Array<{ path: string; size: string }>): SafeHtml {
  return html`<ul class="artifacts">${files.map(
    (file) => html`<li><span class="path">${file.path}</span><span class="size">${file.size}</span></li>`,
  )}</ul>`;
}

function outputSize(output: StepDetails['outputs'][number]): string {
  return [
    output.rows !== undefined ? `${formatCount(output.rows)} rows` : '',
    output.bytes !== undefined ? formatBytes(output.bytes) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
