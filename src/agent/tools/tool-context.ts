import type { ConnectionsConfig } from '../../connections/types.js';
import type { Registry } from '../../registry/registry.js';
import type { AgentState } from '../agent-state.js';
import type { ChatEvent } from '../chat-events.js';
import type { ProposalDesk } from '../proposal/proposal-desk.js';
import type { SessionRecord } from '../session/session-types.js';
import type { DiscoveryApi } from './discovery-port.js';

/** What every agent tool may use. One per turn: the signal and the desk belong to the turn. */
export interface ToolContext {
  projectDir: string;
  env: Record<string, string | undefined>;
  registry: Registry;
  connections: ConnectionsConfig;
  discovery: () => Promise<DiscoveryApi>;
  session: SessionRecord;
  proposals: ProposalDesk;
  signal: AbortSignal;
  /** false (`osiris chat --no-samples`): run tools send no row samples to the model. */
  samples?: boolean;
  /** Masks every known secret value; applied to each tool result before the model sees it. */
  redact(text: string): string;
  emit(event: ChatEvent): void;
  enterState(state: AgentState): void;
  recordTool(data: { tool: string; ok: boolean; duration_ms: number; summary: string }): void;
}
