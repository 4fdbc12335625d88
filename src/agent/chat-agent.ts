import { createHash } from 'node:crypto';
import type { LanguageModel, ModelMessage } from 'ai';
import type { ConnectionsConfig } from '../connections/types.js';
import type { Registry } from '../registry/registry.js';
import { ErrorCodes, isOsirisError, OsirisError, type SerializedError } from '../spec/errors.js';
import { type AgentState, canTransition } from './agent-state.js';
import type { ChatEvent, ChatEventListener, RunSummary } from './chat-events.js';
import { connectionForModel } from './context/connection-context.js';
import { type CustomPrompts, loadCustomPrompts } from './context/custom-prompts.js';
import { buildSystemPrompt } from './context/system-prompt.js';
import { assistantMessage, recentHistory, userMessage } from './loop/history.js';
import { runModelTurn } from './loop/model-turn.js';
import { parseChatInput } from './modes/parse-chat-input.js';
import { buildSqlProposal } from './modes/sql-proposal.js';
import {
  narrateInvalidPipeline,
  narrateRejection,
  narrateRun,
  narrateRunError,
  narrateSqlProposal,
} from './narration.js';
import { classifyApproval } from './proposal/approval-intent.js';
import { ProposalDesk } from './proposal/proposal-desk.js';
import { runApprovedPipeline } from './proposal/run-approved-pipeline.js';
import type { AgentSettings, ModelSettings } from './provider/agent-settings.js';
import { createLanguageModel, describeModel } from './provider/create-language-model.js';
import { providerNotConfiguredError } from './provider/provider-help.js';
import { toProviderError } from './provider/provider-error.js';
import type { SessionStore } from './session/session-store.js';
import type { Proposal, SessionRecord } from './session/session-types.js';
import { StateKeeper } from './session/state-keeper.js';
import { createAgentTools } from './tools/agent-tools.js';
import type { DiscoveryApi } from './tools/discovery-port.js';
import type { ToolContext } from './tools/tool-context.js';

export interface ChatAgentOptions {
  projectDir: string;
  env: Record<string, string | undefined>;
  store: SessionStore;
  session: SessionRecord;
  registry: Registry;
  connections: ConnectionsConfig;
  discovery: () => Promise<DiscoveryApi>;
  /** Masks every known secret value (connections, secret-named variables). */
  redact: (text: string) => string;
  /** Undefined when no provider is configured: SQL mode and approvals still work. */
  settings?: AgentSettings;
  /** Why the configured provider cannot be used (e.g. its key is missing); told on a model turn. */
  settingsError?: OsirisError;
  createModel?: (settings: ModelSettings) => Promise<LanguageModel>;
  onEvent?: ChatEventListener;
  /** `--yes`: approve every proposal as it is made (recorded as such). */
  autoApprove?: boolean;
  /** Connection SQL mode queries; the default connection otherwise. */
  sqlConnection?: string;
  /** Read custom prompts from .osiris/prompts/. */
  proMode?: boolean;
}

export type TurnOutcome =
  | 'answered'
  | 'proposed'
  | 'ran'
  | 'run-failed'
  | 'rejected'
  | 'failed'
  | 'cancelled'
  | 'not-configured';

/** Where the time of a turn went: the model's own latency and everything else. */
export interface TurnTiming {
  durationMs: number;
  modelMs: number;
  toolMs: number;
  /** Time outside the model's latency: tools, prompt building, persistence, rendering hooks. */
  overheadMs: number;
  modelCalls: number;
}

export interface TurnResult {
  sessionId: string;
  outcome: TurnOutcome;
  state: AgentState;
  /** The model's text of this turn. */
  text: string;
  /** The proposal awaiting approval after the turn, if any. */
  proposal?: Proposal;
  run?: RunSummary;
  error?: SerializedError;
  timing: TurnTiming;
}

/**
 * One conversation with the agent. `send` takes what the user typed and returns when the turn is
 * done. Code, never the model, reads approvals and runs pipelines.
 */
export class ChatAgent {
  readonly #options: ChatAgentOptions;
  readonly #session: SessionRecord;
  readonly #store: SessionStore;
  readonly #keeper: StateKeeper;
  readonly #custom: CustomPrompts | undefined;

  constructor(options: ChatAgentOptions) {
    this.#options = options;
    this.#session = options.session;
    this.#store = options.store;
    this.#keeper = new StateKeeper(options.store, options.session, (event) => this.#emit(event));
    this.#custom = options.proMode ? loadCustomPrompts(options.projectDir) : undefined;
    if (this.#session.state === 'COMPILE' || this.#session.state === 'RUN') {
      // The process that was running the pipeline ended mid-run; the session continues from ERROR.
      this.#keeper.enter('ERROR', 'previous run interrupted');
    }
  }

  get session(): SessionRecord {
    return this.#session;
  }

  async send(raw: string, options: { signal?: AbortSignal } = {}): Promise<TurnResult> {
    const signal = options.signal ?? new AbortController().signal;
    const started = performance.now();
    const timing = { modelMs: 0, toolMs: 0, modelCalls: 0 };
    const input = parseChatInput(raw);
    if (!this.#session.title) this.#session.title = shorten(raw, 70);

    let result: Omit<TurnResult, 'sessionId' | 'state' | 'timing'>;
    const pending = this.#session.proposal?.status === 'pending' ? this.#session.proposal : undefined;
    const decision = pending && input.kind === 'message' ? classifyApproval(input.text) : 'other';
    if (pending && decision !== 'other') {
      this.#store.appendMessages(this.#session.id, [userMessage(raw)]);
      result =
        decision === 'approve'
          ? await this.#approveAndRun(pending, 'user', raw, signal)
          : this.#reject(pending, raw);
    } else if (input.kind === 'sql') {
      result = await this.#sqlTurn(raw, input.sql, signal);
    } else if (input.kind === 'retry' && this.#session.interruptedTurn) {
      result = await this.#modelTurn(undefined, false, signal, timing);
    } else {
      const text = input.kind === 'message' ? input.text : raw;
      result = await this.#modelTurn(text, input.kind === 'message' && input.fast, signal, timing);
    }

    const proposal = this.#session.proposal;
    if (this.#options.autoApprove && proposal?.status === 'pending' && result.outcome === 'proposed') {
      this.#emit({ type: 'notice', level: 'info', text: `--yes: approving ${proposal.name} without asking` });
      const ran = await this.#approveAndRun(proposal, 'auto (--yes)', undefined, signal);
      result = { ...ran, text: result.text };
    }
    this.#store.save(this.#session);

    const durationMs = Math.round(performance.now() - started);
    const turnTiming: TurnTiming = {
      durationMs,
      modelMs: Math.round(timing.modelMs),
      toolMs: Math.round(timing.toolMs),
      overheadMs: Math.max(0, Math.round(durationMs - timing.modelMs)),
      modelCalls: timing.modelCalls,
    };
    this.#store.recordEvent(this.#session.id, 'metric', {
      kind: 'turn',
      outcome: result.outcome,
      duration_ms: turnTiming.durationMs,
      model_ms: turnTiming.modelMs,
      tool_ms: turnTiming.toolMs,
      overhead_ms: turnTiming.overheadMs,
      model_calls: turnTiming.modelCalls,
    });
    const after = this.#session.proposal;
    return {
      ...result,
      sessionId: this.#session.id,
      state: this.#session.state,
      ...(after?.status === 'pending' ? { proposal: after } : {}),
      timing: turnTiming,
    };
  }

  async #modelTurn(
    text: string | undefined,
    fast: boolean,
    signal: AbortSignal,
    timing: { modelMs: number; toolMs: number; modelCalls: number },
  ): Promise<Omit<TurnResult, 'sessionId' | 'state' | 'timing'>> {
    const { settings } = this.#options;
    if (text !== undefined) this.#store.appendMessages(this.#session.id, [userMessage(text)]);
    if (!settings) {
      const error = this.#options.settingsError ?? providerNotConfiguredError(this.#options.projectDir);
      this.#emit({ type: 'notice', level: 'error', text: error.message, ...(error.hint ? { hint: error.hint } : {}) });
      return { outcome: 'not-configured', text: '', error: error.toJSON() };
    }
    this.#keeper.enter('INTENT_CAPTURED');

    const desk = new ProposalDesk({
      registry: this.#options.registry,
      connections: this.#options.connections,
      env: this.#options.env,
      session: this.#session,
      emit: (event) => this.#emit(event),
      enterState: (state) => this.#softEnter(state),
    });
    const context: ToolContext = {
      projectDir: this.#options.projectDir,
      env: this.#options.env,
      registry: this.#options.registry,
      connections: this.#options.connections,
      discovery: this.#options.discovery,
      session: this.#session,
      proposals: desk,
      signal,
      redact: this.#options.redact,
      emit: (event) => this.#emit(event),
      enterState: (state) => this.#softEnter(state),
      recordTool: (data) => {
        timing.toolMs += data.duration_ms;
        this.#store.recordEvent(this.#session.id, 'tool', data);
      },
    };
    const tools = createAgentTools(context);
    const system = this.#options.redact(
      buildSystemPrompt({
        registry: this.#options.registry,
        connections: this.#options.connections.connections.map((raw) => connectionForModel(raw, this.#options.env)),
        session: this.#session,
        fast,
        ...(this.#custom ? { custom: this.#custom } : {}),
      }),
    );
    const history = recentHistory(this.#store.messages(this.#session.id));
    const candidates = [settings.primary, ...(settings.fallback ? [settings.fallback] : [])];
    const appended: ModelMessage[] = [];
    let answer = '';
    let failure: OsirisError | undefined;
    let aborted = false;

    for (const [index, modelSettings] of candidates.entries()) {
      let model: LanguageModel;
      try {
        model = await (this.#options.createModel ?? ((s) => createLanguageModel(s, this.#options.env)))(modelSettings);
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
        emit: (event) => this.#emit(event),
        toolTime: () => timing.toolMs,
      });
      appended.push(...turn.responseMessages);
      answer += turn.text;
      for (const call of turn.calls) {
        timing.modelMs += call.latency_ms;
        timing.modelCalls += 1;
        this.#store.recordEvent(this.#session.id, 'metric', { kind: 'llm_call', model: describeModel(modelSettings), ...call });
      }
      if (turn.aborted) {
        aborted = true;
        failure = undefined;
        break;
      }
      if (turn.error === undefined) {
        failure = undefined;
        if (turn.calls.length >= settings.maxSteps && turn.calls.at(-1)?.finish_reason === 'tool-calls') {
          this.#emit({
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
        this.#emit({
          type: 'notice',
          level: 'warning',
          text: `${failure.message}; trying the fallback model ${describeModel(next)}`,
        });
      }
    }

    this.#store.appendMessages(this.#session.id, appended);
    if (aborted) {
      this.#session.interruptedTurn = true;
      this.#emit({ type: 'notice', level: 'warning', text: 'turn cancelled', hint: 'say "retry" to send it again' });
      this.#finishConversationalTurn(desk.proposed);
      return { outcome: 'cancelled', text: answer };
    }
    if (failure) {
      this.#session.interruptedTurn = true;
      this.#store.recordEvent(this.#session.id, 'error', failure.toJSON() as unknown as Record<string, unknown>);
      this.#softEnter('ERROR');
      this.#emit({ type: 'notice', level: 'error', text: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) });
      return { outcome: 'failed', text: answer, error: failure.toJSON() };
    }
    this.#session.interruptedTurn = false;
    if (desk.failure) {
      const narration = narrateInvalidPipeline(desk.failure.errors);
      this.#store.appendMessages(this.#session.id, [assistantMessage(narration)]);
      this.#softEnter('ERROR');
      this.#emit({
        type: 'notice',
        level: 'error',
        text: `The model could not write a valid pipeline (two attempts). Validator errors:\n${desk.failure.errors.map((error) => `  - ${error}`).join('\n')}`,
        hint: 'rephrase the request, name the tables or columns to use, or give the SQL with "SQL: SELECT …"',
      });
      const error = new OsirisError(ErrorCodes.INVALID_OML, 'The model could not write a valid pipeline.', {
        details: { errors: desk.failure.errors },
      });
      return { outcome: 'failed', text: answer, error: error.toJSON() };
    }
    this.#finishConversationalTurn(desk.proposed);
    return { outcome: desk.proposed ? 'proposed' : 'answered', text: answer };
  }

  /** After a model turn: a proposal still waiting means the session waits for approval. */
  #finishConversationalTurn(proposedNow: boolean): void {
    if (proposedNow || this.#session.proposal?.status === 'pending') this.#softEnter('AWAIT_APPROVAL');
  }

  async #sqlTurn(raw: string, sql: string, signal: AbortSignal): Promise<Omit<TurnResult, 'sessionId' | 'state' | 'timing'>> {
    this.#store.appendMessages(this.#session.id, [userMessage(raw)]);
    this.#keeper.enter('INTENT_CAPTURED');
    this.#keeper.enter('OML_SYNTHESIS');
    try {
      const built = await buildSqlProposal({
        sql,
        projectDir: this.#options.projectDir,
        env: this.#options.env,
        registry: this.#options.registry,
        connections: this.#options.connections,
        discovery: this.#options.discovery,
        session: this.#session,
        signal,
        emit: (event) => this.#emit(event),
        ...(this.#options.sqlConnection ? { connection: this.#options.sqlConnection } : {}),
      });
      this.#keeper.enter('VALIDATE');
      this.#session.proposal = built.proposal;
      this.#keeper.enter('AWAIT_APPROVAL');
      this.#emit({ type: 'proposal', proposal: built.proposal });
      const narration = narrateSqlProposal(built.proposal, built.connection, built.columns);
      this.#store.appendMessages(this.#session.id, [assistantMessage(narration)]);
      return { outcome: 'proposed', text: '' };
    } catch (error) {
      return this.#reportFailure(error, signal);
    }
  }

  async #approveAndRun(
    proposal: Proposal,
    by: string,
    text: string | undefined,
    signal: AbortSignal,
  ): Promise<Omit<TurnResult, 'sessionId' | 'state' | 'timing'>> {
    this.#store.recordEvent(this.#session.id, 'approval', {
      decision: 'approved',
      by,
      pipeline: proposal.name,
      revision: proposal.revision,
      oml_sha256: createHash('sha256').update(proposal.oml).digest('hex'),
      ...(text ? { message: shorten(text, 200) } : {}),
    });
    proposal.status = 'approved';
    if (this.#session.state !== 'AWAIT_APPROVAL') this.#softEnter('AWAIT_APPROVAL');
    try {
      const summary = await runApprovedPipeline({
        projectDir: this.#options.projectDir,
        env: this.#options.env,
        sessionId: this.#session.id,
        proposal,
        signal,
        emit: (event) => this.#emit(event),
        enterState: (state) => this.#keeper.enter(state),
      });
      this.#session.lastRun = {
        pipeline: summary.pipeline,
        file: summary.file,
        runId: summary.runId,
        status: summary.status,
        totalRows: summary.totalRows,
      };
      this.#store.recordEvent(this.#session.id, 'run', { run_id: summary.runId, status: summary.status, file: summary.file });
      this.#keeper.enter(summary.status === 'success' ? 'COMPLETE' : 'ERROR');
      this.#emit({ type: 'run-summary', summary });
      this.#store.appendMessages(this.#session.id, [assistantMessage(narrateRun(summary))]);
      return { outcome: summary.status === 'success' ? 'ran' : 'run-failed', text: '', run: summary };
    } catch (error) {
      const problem = this.#redactedError(error);
      this.#store.appendMessages(this.#session.id, [assistantMessage(narrateRunError(proposal, problem.message))]);
      return this.#reportFailure(error, signal);
    }
  }

  #reject(proposal: Proposal, raw: string): Omit<TurnResult, 'sessionId' | 'state' | 'timing'> {
    proposal.status = 'rejected';
    this.#store.recordEvent(this.#session.id, 'approval', {
      decision: 'rejected',
      by: 'user',
      pipeline: proposal.name,
      revision: proposal.revision,
      message: shorten(raw, 200),
    });
    this.#softEnter('INTENT_CAPTURED');
    this.#store.appendMessages(this.#session.id, [assistantMessage(narrateRejection(proposal))]);
    this.#emit({
      type: 'notice',
      level: 'info',
      text: `Discarded ${proposal.name}; nothing ran. Tell me what to change, or ask something else.`,
    });
    return { outcome: 'rejected', text: '' };
  }

  /** A failure told to the user; the session moves to ERROR and the conversation goes on. */
  #reportFailure(error: unknown, signal: AbortSignal): Omit<TurnResult, 'sessionId' | 'state' | 'timing'> {
    const problem = this.#redactedError(error);
    this.#store.recordEvent(this.#session.id, 'error', problem as unknown as Record<string, unknown>);
    this.#softEnter('ERROR');
    if (signal.aborted) {
      this.#emit({ type: 'notice', level: 'warning', text: 'cancelled' });
      return { outcome: 'cancelled', text: '', error: problem };
    }
    this.#emit({ type: 'notice', level: 'error', text: problem.message, ...(problem.hint ? { hint: problem.hint } : {}) });
    return { outcome: 'failed', text: '', error: problem };
  }

  #redactedError(error: unknown): SerializedError {
    const serialized: SerializedError = isOsirisError(error)
      ? error.toJSON()
      : { code: ErrorCodes.INTERNAL, message: error instanceof Error ? error.message : String(error) };
    return JSON.parse(this.#options.redact(JSON.stringify(serialized))) as SerializedError;
  }

  /** State changes requested by tools: never fail a tool over bookkeeping. */
  #softEnter(state: AgentState): void {
    if (canTransition(this.#session.state, state)) this.#keeper.enter(state);
  }

  #emit(event: ChatEvent): void {
    this.#options.onEvent?.(event);
  }
}

function shorten(text: string, limit: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > limit ? `${single.slice(0, limit - 1)}…` : single;
}
