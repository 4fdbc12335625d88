import { canTransition } from './agent-state.js';
import type { ChatEvent } from './chat-events.js';
import { loadCustomPrompts } from './context/custom-prompts.js';
import { runConversationTurn } from './loop/conversation-turn.js';
import { userMessage } from './loop/history.js';
import { parseChatInput } from './modes/parse-chat-input.js';
import { runSqlTurn } from './modes/sql-turn.js';
import { classifyApproval } from './proposal/approval-intent.js';
import { approveAndRun, rejectProposal, remindToDecide } from './proposal/decide-proposal.js';
import type { SessionRecord } from './session/session-types.js';
import { StateKeeper } from './session/state-keeper.js';
import { shorten } from './turn-failure.js';
import type {
  ChatAgentOptions,
  TurnBody,
  TurnClock,
  TurnResult,
  TurnScope,
  TurnTiming,
} from './turn-types.js';

export type { ChatAgentOptions, TurnOutcome, TurnResult, TurnTiming } from './turn-types.js';

/**
 * One conversation with the agent. `send` takes what the user typed and returns when the turn is
 * done. A decision on a pending proposal is read by code and never reaches the model; `SQL:` is
 * handled without the model; everything else is a model turn with the tools.
 */
export class ChatAgent {
  readonly #scope: TurnScope;

  constructor(options: ChatAgentOptions) {
    const emit = (event: ChatEvent) => options.onEvent?.(event);
    const keeper = new StateKeeper(options.store, options.session, emit);
    this.#scope = {
      options,
      session: options.session,
      store: options.store,
      custom: options.proMode ? loadCustomPrompts(options.projectDir) : undefined,
      emit,
      enter: (state, reason) => keeper.enter(state, reason),
      softEnter: (state) => {
        if (canTransition(options.session.state, state)) keeper.enter(state);
      },
    };
    if (options.session.state === 'COMPILE' || options.session.state === 'RUN') {
      // The process that was running the pipeline ended mid-run; the session continues from ERROR.
      keeper.enter('ERROR', 'previous run interrupted');
    }
  }

  get session(): SessionRecord {
    return this.#scope.session;
  }

  async send(raw: string, options: { signal?: AbortSignal } = {}): Promise<TurnResult> {
    const scope = this.#scope;
    const { session, store } = scope;
    const signal = options.signal ?? new AbortController().signal;
    const started = performance.now();
    const clock: TurnClock = { modelMs: 0, toolMs: 0, modelCalls: 0 };
    const input = parseChatInput(raw);
    if (!session.title) session.title = shorten(raw, 70);

    let result: TurnBody;
    const pending = session.proposal?.status === 'pending' ? session.proposal : undefined;
    const decision = pending && input.kind === 'message' ? classifyApproval(input.text) : 'other';
    if (pending && (decision === 'approve' || decision === 'reject')) {
      store.appendMessages(session.id, [userMessage(raw)]);
      result =
        decision === 'approve'
          ? await approveAndRun(scope, pending, 'user', raw, signal)
          : rejectProposal(scope, pending, raw);
    } else if (input.kind === 'sql') {
      result = await runSqlTurn(scope, raw, input.sql, signal, {
        ...(input.connection ? { connection: input.connection } : {}),
        ...(input.output ? { output: input.output } : {}),
      });
    } else if (input.kind === 'retry' && session.interruptedTurn) {
      result = await runConversationTurn(scope, undefined, false, signal, clock);
    } else {
      const text = input.kind === 'message' ? input.text : raw;
      result = await runConversationTurn(scope, text, input.kind === 'message' && input.fast, signal, clock);
      // A question is not consent: the model answered it; the user is told how to decide.
      if (decision === 'question') remindToDecide(scope, result);
    }

    const proposal = session.proposal;
    if (scope.options.autoApprove && proposal?.status === 'pending' && result.outcome === 'proposed') {
      scope.emit({ type: 'notice', level: 'info', text: `--yes: approving ${proposal.name} without asking` });
      result = {
        ...(await approveAndRun(scope, proposal, 'auto (--yes)', undefined, signal)),
        text: result.text,
      };
    }
    store.save(session);

    const timing = this.#recordTiming(result, clock, performance.now() - started);
    const after = session.proposal;
    return {
      ...result,
      sessionId: session.id,
      state: session.state,
      ...(after?.status === 'pending' ? { proposal: after } : {}),
      timing,
    };
  }

  #recordTiming(result: TurnBody, clock: TurnClock, elapsed: number): TurnTiming {
    const durationMs = Math.round(elapsed);
    const timing: TurnTiming = {
      durationMs,
      modelMs: Math.round(clock.modelMs),
      toolMs: Math.round(clock.toolMs),
      overheadMs: Math.max(0, Math.round(elapsed - clock.modelMs)),
      modelCalls: clock.modelCalls,
    };
    this.#scope.store.recordEvent(this.#scope.session.id, 'metric', {
      kind: 'turn',
      outcome: result.outcome,
      duration_ms: timing.durationMs,
      model_ms: timing.modelMs,
      tool_ms: timing.toolMs,
      overhead_ms: timing.overheadMs,
      model_calls: timing.modelCalls,
    });
    return timing;
  }
}
