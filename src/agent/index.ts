export { type AgentState, AgentStates, assertTransition, canTransition } from './agent-state.js';
export {
  ChatAgent,
  type ChatAgentOptions,
  type TurnOutcome,
  type TurnResult,
  type TurnTiming,
} from './chat-agent.js';
export type { ChatEvent, ChatEventListener, RunSummary } from './chat-events.js';
export { BASE_INSTRUCTIONS, FAST_MODE_INSTRUCTIONS } from './context/base-instructions.js';
export {
  buildComponentContext,
  type ComponentContext,
  componentDetails,
  formatComponentContext,
} from './context/component-context.js';
export { connectionForModel } from './context/connection-context.js';
export {
  type CustomPrompts,
  loadCustomPrompts,
  PROMPTS_FOLDER,
  SYSTEM_PROMPT_FILE,
} from './context/custom-prompts.js';
export { buildSystemPrompt, type SystemPromptInput } from './context/system-prompt.js';
export { type OpenChat, type OpenChatOptions, openChat } from './open-chat.js';
export { classifyApproval } from './proposal/approval-intent.js';
export {
  type AgentSettings,
  type ModelSettings,
  type ProviderFlags,
  resolveAgentSettings,
} from './provider/agent-settings.js';
export { createLanguageModel, describeModel } from './provider/create-language-model.js';
export { PROVIDER_NAMES } from './provider/provider-catalog.js';
export { providerNotConfiguredError, providerSetupText } from './provider/provider-help.js';
export { formatProposal } from './render/format-proposal.js';
export { formatRunSummary } from './render/format-run-summary.js';
export { type RunProgressView, TerminalRenderer } from './render/terminal-renderer.js';
export { SESSIONS_DATABASE, SessionStore } from './session/session-store.js';
export type { Proposal, SessionEvent, SessionRecord, SessionSummary } from './session/session-types.js';
export { AGENT_TOOL_NAMES } from './tools/agent-tools.js';
export type { DiscoveryApi } from './tools/discovery-port.js';
