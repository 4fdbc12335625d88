import type { AiopCore, Evidence, NarrativeSentence } from './aiop-types.js';
import { RUN_SCOPE } from './collect-evidence.js';

type NarrativeInput = Omit<AiopCore, 'narrative' | 'evidence' | 'annex' | 'truncated' | 'privacy' | 'limits'>;

/**
 * Plain sentences about the run, each citing the evidence it rests on: the outcome, the failing
 * step with its code and cause, skipped steps, failed checks, warnings, the slowest step and what
 * changed since the previous successful run. Built from facts only, so the same run tells the
 * same story.
 */
export function narrateRun(input: NarrativeInput, evidence: Evidence[]): NarrativeSentence[] {
  const find = (step: string, name: string) =>
    evidence.find((item) => item.kind === 'event' && item.step === step && item.name === name)?.id;
  const cites = (...ids: Array<string | undefined>) => ids.filter((id): id is string => id !== undefined);
  const { run, dag, errors, checks, delta } = input;
  const sentences: NarrativeSentence[] = [];
  const duration = run.duration_ms !== undefined ? ` in ${formatMs(run.duration_ms)}` : '';
  sentences.push({
    text:
      `Run ${run.run_id} of pipeline ${run.pipeline} ended with status ${run.status}${duration} on the ${run.adapter} adapter, ` +
      `with ${dag.steps.length} step(s) and ${run.total_rows} row(s) delivered.`,
    cites: cites(find(RUN_SCOPE, 'run_start'), find(RUN_SCOPE, 'run_complete')),
  });
  for (const error of errors) {
    const where =
      error.step === RUN_SCOPE
        ? 'The run'
        : `Step ${error.step}${error.component ? ` (${error.component})` : ''}`;
    sentences.push({
      text: `${where} failed with ${error.code}: ${sentence(error.message)}${error.hint ? ` Hint: ${sentence(error.hint)}` : ''}`,
      cites: error.evidence,
    });
    const cause =
      error.cause.location === 'environment'
        ? `The cause lies outside the pipeline: ${error.cause.reason}. No OML change fixes it; check with \`${error.cause.next_command}\`.`
        : error.cause.location === 'pipeline'
          ? `The cause lies in the pipeline: ${error.cause.reason}; a new revision of the OML can fix it.`
          : `Cause: ${error.cause.reason}.`;
    sentences.push({ text: cause, cites: error.evidence });
  }
  const skipped = dag.steps.filter((step) => step.status === 'skipped');
  if (skipped.length > 0) {
    sentences.push({
      text: `${skipped.length} step(s) did not run because an upstream step failed: ${shortList(skipped.map((step) => step.id))}.`,
      cites: cites(...skipped.slice(0, 5).map((step) => find(step.id, 'step_skipped'))),
    });
  }
  const failedChecks = checks.filter((check) => check.status === 'failed');
  if (checks.length > 0) {
    sentences.push({
      text: `${checks.length} data check(s) ran; ${failedChecks.length} failed${failedChecks.length > 0 ? `: ${shortList(failedChecks.map((check) => `${check.step}/${String(check.name ?? '?')}`))}` : ''}.`,
      cites: (failedChecks.length > 0 ? failedChecks : checks)
        .slice(0, 5)
        .map((check) => String(check.evidence)),
    });
  }
  const warned = dag.steps.filter((step) => (step.warnings?.length ?? 0) > 0);
  if (warned.length > 0) {
    sentences.push({
      text: `Warnings on ${shortList(warned.map((step) => step.id))}.`,
      cites: cites(...warned.slice(0, 5).map((step) => find(step.id, 'warning'))),
    });
  }
  const slowest = [...dag.steps]
    .filter((step) => step.duration_ms !== undefined)
    .sort((left, right) => (right.duration_ms ?? 0) - (left.duration_ms ?? 0))[0];
  if (slowest && dag.steps.length > 1) {
    sentences.push({
      text: `The slowest step was ${slowest.id} (${formatMs(slowest.duration_ms ?? 0)}).`,
      cites: cites(find(slowest.id, 'step_complete') ?? find(slowest.id, 'step_failed')),
    });
  }
  if (delta.previous_run_id) {
    const parts: string[] = [];
    if (delta.rows)
      parts.push(`rows ${delta.rows.previous} → ${delta.rows.current} (${signed(delta.rows.change)})`);
    if (delta.duration_ms)
      parts.push(`duration ${formatMs(delta.duration_ms.previous)} → ${formatMs(delta.duration_ms.current)}`);
    const schemaSteps = (delta.steps ?? []).filter((step) => step.schema);
    if (schemaSteps.length > 0)
      parts.push(`output columns changed in ${shortList(schemaSteps.map((step) => step.id))}`);
    sentences.push({
      text: `Compared with the previous successful run ${delta.previous_run_id}: ${parts.join('; ') || 'no change in rows or duration'}.`,
      cites: cites(find(RUN_SCOPE, 'run_complete')),
    });
  }
  return sentences;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function shortList(items: string[]): string {
  return items.length <= 8
    ? items.join(', ')
    : `${items.slice(0, 8).join(', ')} and ${items.length - 8} more`;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
