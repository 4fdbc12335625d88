import { createHash } from 'node:crypto';
import type { RunSummary } from '../chat-events.js';
import { assistantMessage } from '../loop/history.js';
import { narrateRejection, narrateRun, narrateRunError } from '../narration.js';
import type { Proposal } from '../session/session-types.js';
import { redactedError, reportFailure, shorten } from '../turn-failure.js';
import type { TurnBody, TurnScope } from '../turn-types.js';
import { runApprovedPipeline } from './run-approved-pipeline.js';

/**
 * A proposal whose approval is recorded: a frozen copy of the revision the user approved, with who
 * approved it and the hash of its OML. Only `approveAndRun` below makes one (the class is exported
 * as a type only, and its private field keeps look-alike objects out), and `runApprovedPipeline`
 * accepts nothing else: no caller can run a proposal without passing the approval gate.
 */
class ApprovedProposal {
  readonly #proposal: Readonly<Proposal>;
  readonly by: string;
  readonly omlSha256: string;

  constructor(proposal: Proposal, by: string) {
    this.#proposal = Object.freeze(structuredClone({ ...proposal, status: 'approved' as const }));
    this.by = by;
    this.omlSha256 = createHash('sha256').update(proposal.oml).digest('hex');
  }

  /** What was approved; later edits to the session's proposal do not change it. */
  get proposal(): Readonly<Proposal> {
    return this.#proposal;
  }
}

export type { ApprovedProposal };

/**
 * The user (or `--yes`) approved: record who approved which revision, then save, compile and run
 * it. This is the only place an ApprovedProposal is made, so the only way to runApprovedPipeline.
 */
export async function approveAndRun(
  scope: TurnScope,
  proposal: Proposal,
  by: string,
  message: string | undefined,
  signal: AbortSignal,
): Promise<TurnBody> {
  const { session, store } = scope;
  const approval = new ApprovedProposal(proposal, by);
  store.recordEvent(session.id, 'approval', {
    decision: 'approved',
    by,
    pipeline: proposal.name,
    revision: proposal.revision,
    oml_sha256: approval.omlSha256,
    ...(message ? { message: shorten(message, 200) } : {}),
  });
  proposal.status = 'approved';
  if (session.state !== 'AWAIT_APPROVAL') scope.softEnter('AWAIT_APPROVAL');
  try {
    const ran = await runApprovedPipeline({
      projectDir: scope.options.projectDir,
      env: scope.options.env,
      sessionId: session.id,
      approval,
      signal,
      emit: scope.emit,
      enterState: (state) => scope.enter(state),
    });
    // Run errors come from drivers; the runner redacts them, and this is the last line of defence.
    const summary = JSON.parse(scope.options.redact(JSON.stringify(ran))) as RunSummary;
    session.lastRun = {
      pipeline: summary.pipeline,
      file: summary.file,
      runId: summary.runId,
      status: summary.status,
      totalRows: summary.totalRows,
    };
    store.recordEvent(session.id, 'run', {
      run_id: summary.runId,
      status: summary.status,
      file: summary.file,
    });
    scope.enter(summary.status === 'success' ? 'COMPLETE' : 'ERROR');
    scope.emit({ type: 'run-summary', summary });
    store.appendMessages(session.id, [assistantMessage(narrateRun(summary))]);
    const outcome =
      summary.status === 'success' ? 'ran' : summary.status === 'cancelled' ? 'cancelled' : 'run-failed';
    return { outcome, text: '', run: summary };
  } catch (error) {
    const problem = redactedError(scope, error);
    store.appendMessages(session.id, [assistantMessage(narrateRunError(proposal, problem.message))]);
    return reportFailure(scope, error, signal);
  }
}

/** The user rejected: the proposal is discarded (kept only to diff a later revision against). */
export function rejectProposal(scope: TurnScope, proposal: Proposal, message: string): TurnBody {
  proposal.status = 'rejected';
  scope.store.recordEvent(scope.session.id, 'approval', {
    decision: 'rejected',
    by: 'user',
    pipeline: proposal.name,
    revision: proposal.revision,
    message: shorten(message, 200),
  });
  scope.softEnter('INTENT_CAPTURED');
  scope.store.appendMessages(scope.session.id, [assistantMessage(narrateRejection(proposal))]);
  scope.emit({
    type: 'notice',
    level: 'info',
    text: `Discarded ${proposal.name}; nothing ran. Tell me what to change, or ask something else.`,
  });
  return { outcome: 'rejected', text: '' };
}

/**
 * After a question or a hedge about a pending proposal ("looks good?", "maybe"): nothing ran, and
 * the user is reminded how to decide. A revision the model proposed meanwhile shows its own prompt.
 */
export function remindToDecide(scope: TurnScope, result: TurnBody): void {
  const proposal = scope.session.proposal;
  if (proposal?.status !== 'pending' || result.outcome === 'proposed' || result.outcome === 'cancelled')
    return;
  scope.emit({
    type: 'notice',
    level: 'info',
    text: `Nothing ran: a question is not an approval. ${proposal.name} is still waiting for your decision.`,
    hint: 'say "approve" or "run it" to save and run it, "reject" to discard it, or say what to change',
  });
}
