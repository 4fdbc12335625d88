import type { LanguageModel, ModelMessage } from 'ai';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { connectionForModel } from '../context/connection-context.js';
import { buildSystemPrompt } from '../context/system-prompt.js';
import { narrateInvalidPipeline } from '../narration.js';
import { ProposalDesk } from '../proposal/proposal-desk.js';
import { createLanguageModel, describeModel } from '../provider/create-language-model.js';
import { toProviderError } from '../provider/provider-error.js';
import { providerNotConfiguredError } from '../provider/provider-help.js';
import { createAgentTools } from '../tools/agent-tools.js';
import type { ToolContext } from '../tools/tool-context.js';
import type { TurnBody, TurnClock, TurnScope } from '../turn-types.js';
import { assistantMessage, recentHistory, userMessage } from './history.js';
import { runModelTurn } from './model-turn.js';

/**
 * A turn the model handles: the user's message (or, for "retry", none: the interrupted turn is
 * resent), the agent loop with the tools, then the fallback model if the first one fails. What
 * completed is saved even when the turn fails, so nothing is lost.
 */
export async function runConversationTurn(
  scope: TurnScope,
  text: string | undefined,
  fast: boolean,
  signal: AbortSignal,
  clock: TurnClock,
): Promise<TurnBody> {
  const { options, session, store } = scope;
  const { settings } = options;
  if (text !== undefined) store.appendMessages(session.id, [userMessage(text)]);
  if (!settings) {
    // The message is kept: once a provider is configured, "retry" sends it.
    session.interruptedTurn = true;
    const error = options.settingsError ?? providerNotConfiguredError(options.projectDir);
    scope.emit({
      type: 'notice',
      level: 'error',
      text: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    });
    return { outcome: 'not-configured', text: '', error: error.toJSON() };
  }
  scope.enter('INTENT_CAPTURED');

  const desk = new ProposalDesk({
    registry: options.registry,
    connections: options.connections,
    env: options.env,
    projectDir: options.projectDir,
    session,
    emit: scope.emit,
    enterState: scope.softEnter,
  });
  const tools = createAgentTools(toolContext(scope, desk, signal, clock));
  const system = options.redact(
    buildSystemPrompt({
      registry: options.registry,
      connections: options.connections.connections.map((raw) => connectionForModel(raw, options.env)),
      session,
      fast,
      ...(scope.custom ? { custom: scope.custom } : {}),
    }),
  );
  const history = recentHistory(store.messages(session.id));
  const candidates = [settings.primary, ...(settings.fallback ? [settings.fallback] : [])];
  const appended: ModelMessage[] = [];
  let answer = '';
  let failure: OsirisError | undefined;
  let aborted = false;

  for (const [index, modelSettings] of candidates.entries()) {
    let model: LanguageModel;
    try {
      model = await (options.createModel ?? ((choice) => createLanguageModel(choice, options.env)))(
        modelSettings,
      );
    } catch (error) {
      failure = toProviderError(error, modelSettings);
      continue;
    }
    const turn = await runModelTurn({
      model,
      system,
      messages: [...history, ...appended],
      tools,
      maxSteps: settings.maxSteps,
      maxRetries: settings.maxRetries,
      signal,
      shouldStop: () => desk.failure !== undefined,
      emit: scope.emit,
      toolTime: () => clock.toolMs,
    });
    appended.push(...turn.responseMessages);
    answer += turn.text;
    for (const call of turn.calls) {
      clock.modelMs += call.latency_ms;
      clock.modelCalls += 1;
      store.recordEvent(session.id, 'metric', {
        kind: 'llm_call',
        model: describeModel(modelSettings),
        ...call,
      });
    }
    if (turn.aborted) {
      aborted = true;
      failure = undefined;
      break;
    }
    if (turn.error === undefined) {
      failure = undefined;
      if (turn.calls.length >= settings.maxSteps && turn.calls.at(-1)?.finish_reason === 'tool-calls') {
        scope.emit({
          type: 'notice',
          level: 'warning',
          text: `the model stopped after ${settings.maxSteps} calls without finishing`,
          hint: 'say "continue" to let it go on, or narrow the request',
        });
      }
      break;
    }
    failure = toProviderError(turn.error, modelSettings);
    const next = candidates[index + 1];
    if (next) {
      scope.emit({
        type: 'notice',
        level: 'warning',
        text: `${failure.message}; trying the fallback model ${describeModel(next)}`,
      });
    }
  }

  store.appendMessages(session.id, appended);
  if (aborted) {
    session.interruptedTurn = true;
    scope.emit({
      type: 'notice',
      level: 'warning',
      text: 'turn cancelled',
      hint: 'say "retry" to send it again',
    });
    settle(scope, desk.proposed);
    return { outcome: 'cancelled', text: answer };
  }
  if (failure) {
    session.interruptedTurn = true;
    store.recordEvent(session.id, 'error', { ...failure.toJSON() });
    scope.softEnter('ERROR');
    scope.emit({
      type: 'notice',
      level: 'error',
      text: failure.message,
      ...(failure.hint ? { hint: failure.hint } : {}),
    });
    return { outcome: 'failed', text: answer, error: failure.toJSON() };
  }
  session.interruptedTurn = false;
  if (desk.failure) return reportInvalidPipeline(scope, desk.failure.errors, answer);
  if (answer.trim().length === 0 && !desk.proposed) {
    scope.emit({
      type: 'notice',
      level: 'warning',
      text: 'the model sent no answer',
      hint: 'say "retry", or rephrase',
    });
  }
  settle(scope, desk.proposed);
  return { outcome: desk.proposed ? 'proposed' : 'answered', text: answer };
}

function toolContext(
  scope: TurnScope,
  desk: ProposalDesk,
  signal: AbortSignal,
  clock: TurnClock,
): ToolContext {
  const { options, session, store } = scope;
  return {
    projectDir: options.projectDir,
    env: options.env,
    registry: options.registry,
    connections: options.connections,
    discovery: options.discovery,
    session,
    proposals: desk,
    signal,
    ...(options.samples === false ? { samples: false } : {}),
    redact: options.redact,
    emit: scope.emit,
    enterState: scope.softEnter,
    recordTool: (data) => {
      clock.toolMs += data.duration_ms;
      store.recordEvent(session.id, 'tool', data);
    },
  };
}

/** After a model turn: a proposal still waiting means the session waits for approval. */
function settle(scope: TurnScope, proposedNow: boolean): void {
  if (proposedNow || scope.session.proposal?.status === 'pending') scope.softEnter('AWAIT_APPROVAL');
}

/** The second invalid proposal of a turn: the user sees the validator's errors and decides. */
function reportInvalidPipeline(scope: TurnScope, errors: string[], answer: string): TurnBody {
  scope.store.appendMessages(scope.session.id, [assistantMessage(narrateInvalidPipeline(errors))]);
  scope.softEnter('ERROR');
  scope.emit({
    type: 'notice',
    level: 'error',
    text: `The model could not write a valid pipeline (two attempts). Validator errors:\n${errors.map((error) => `  - ${error}`).join('\n')}`,
    hint: 'rephrase the request, name the tables or columns to use, or give the SQL with "SQL: SELECT …"',
  });
  const error = new OsirisError(ErrorCodes.INVALID_OML, 'The model could not write a valid pipeline.', {
    details: { errors },
  });
  return { outcome: 'failed', text: answer, error: error.toJSON() };
}
