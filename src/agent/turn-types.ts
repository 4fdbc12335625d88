import type { LanguageModel } from 'ai';
import type { ConnectionsConfig } from '../connections/types.js';
import type { Registry } from '../registry/registry.js';
import type { OsirisError, SerializedError } from '../spec/errors.js';
import type { AgentState } from './agent-state.js';
import type { ChatEvent, ChatEventListener, RunSummary } from './chat-events.js';
import type { CustomPrompts } from './context/custom-prompts.js';
import type { AgentSettings, ModelSettings } from './provider/agent-settings.js';
import type { SessionStore } from './session/session-store.js';
import type { Proposal, SessionRecord } from './session/session-types.js';
import type { DiscoveryApi } from './tools/discovery-port.js';

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
  /** false (`--no-samples`): the run tools send no row samples to the model. */
  samples?: boolean;
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

/** What one kind of turn returns; the agent adds the session, state and timing. */
export type TurnBody = Omit<TurnResult, 'sessionId' | 'state' | 'timing'>;

/** Time spent in the model and in tools during a turn, counted as it goes. */
export interface TurnClock {
  modelMs: number;
  toolMs: number;
  modelCalls: number;
}

/** What the turn handlers share: the options, the session and how to move and report it. */
export interface TurnScope {
  options: ChatAgentOptions;
  session: SessionRecord;
  store: SessionStore;
  custom: CustomPrompts | undefined;
  emit(event: ChatEvent): void;
  /** A checked state change (throws on an edge the machine does not have). */
  enter(state: AgentState, reason?: string): void;
  /** A state change that is skipped when the edge does not exist (bookkeeping from tools). */
  softEnter(state: AgentState): void;
}
