import type { RunDetails } from '../../observability/logs/run-details.js';
import { html, type SafeHtml } from './safe-html.js';

/** A failed run leads with what went wrong, where, and what to do about it. */
export function renderErrorBox(run: RunDetails): SafeHtml {
  const error = run.error;
  if (!error || run.status === 'success') return html``;
  const stepIndex = error.stepId ? run.steps.findIndex((step) => step.id === error.stepId) : -1;
  return html`<section class="error-box" id="error" role="alert" data-testid="run-error">
<h2>${run.status === 'cancelled' ? 'Run cancelled' : run.status === 'crashed' ? 'Run crashed' : 'Run failed'}${
    error.stepId
      ? html` in step ${stepIndex >= 0 ? html`<a href="#step-${stepIndex}">${error.stepId}</a>` : error.stepId}`
      : ''
  } <span class="code">${error.code}</span></h2>
<p class="${messageClass(error.message)}">${error.message}</p>
${error.hint ? html`<div class="hint">${error.hint}</div>` : ''}
</section>`;
}

/** Damaged or missing session files, said plainly above the report they affect. */
export function renderProblems(problems: string[]): SafeHtml {
  if (problems.length === 0) return html``;
  return html`<div class="notice"><b>Some of this run's files could not be read completely:</b><ul>${problems.map(
    (problem) => html`<li>${problem}</li>`,
  )}</ul></div>`;
}

/** Multi-line messages (a database error with a caret under the failing token) keep their columns. */
export function messageClass(message: string): string {
  return message.includes('\n') ? 'message multiline' : 'message';
}
