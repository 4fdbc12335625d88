import type { RunSummary } from './chat-events.js';
import type { Proposal } from './session/session-types.js';

/**
 * Sentences the agent adds to the conversation for things code did (runs, rejections, SQL
 * mode), so the model knows about them on the next turn.
 */
export function narrateRun(summary: RunSummary): string {
  const outputs = summary.outputs.map((output) => `${output.target} (${output.rows} rows)`).join(', ');
  if (summary.status === 'success') {
    return (
      `The user approved pipeline ${summary.pipeline}; it was saved as ${summary.file} and ran successfully ` +
      `(run ${summary.runId}, ${summary.totalRows} rows${outputs ? `; wrote ${outputs}` : ''}).`
    );
  }
  const where = summary.error?.stepId ? ` in step ${summary.error.stepId}` : '';
  return (
    `The user approved pipeline ${summary.pipeline} (saved as ${summary.file}), but the run ${summary.status}${where}` +
    `${summary.error ? `: ${summary.error.code} ${summary.error.message}` : ''}. Run ${summary.runId}.`
  );
}

export function narrateRunError(proposal: Proposal, message: string): string {
  return `The user approved pipeline ${proposal.name}, but it could not run: ${message}`;
}

export function narrateRejection(proposal: Proposal): string {
  return `The user rejected pipeline ${proposal.name} (revision ${proposal.revision}); it was discarded and nothing ran.`;
}

export function narrateSqlProposal(
  proposal: Proposal,
  connection: string,
  columns: readonly string[],
): string {
  return (
    `From the user's SQL on ${connection} I built pipeline ${proposal.name} (columns: ${columns.join(', ')}), ` +
    `which writes ${proposal.writes.map((item) => item.target).join(', ')}. It awaits the user's approval.`
  );
}

export function narrateInvalidPipeline(errors: readonly string[]): string {
  return `I could not produce a valid pipeline; the validator still reports:\n${errors.map((error) => `- ${error}`).join('\n')}`;
}
