import { type AgentState, assertTransition } from '../agent-state.js';
import type { ChatEvent } from '../chat-events.js';
import type { SessionStore } from './session-store.js';
import type { SessionRecord } from './session-types.js';

/**
 * Moves a session through the state machine: checks the edge, records it, saves the session at
 * once (a crash leaves the session where it stood) and tells the listener.
 */
export class StateKeeper {
  readonly #store: SessionStore;
  readonly #session: SessionRecord;
  readonly #emit: (event: ChatEvent) => void;

  constructor(store: SessionStore, session: SessionRecord, emit: (event: ChatEvent) => void) {
    this.#store = store;
    this.#session = session;
    this.#emit = emit;
  }

  get state(): AgentState {
    return this.#session.state;
  }

  enter(to: AgentState, reason?: string): void {
    const from = this.#session.state;
    if (from === to) return;
    assertTransition(from, to);
    this.#session.state = to;
    this.#store.recordEvent(this.#session.id, 'state', { from, to, ...(reason ? { reason } : {}) });
    this.#store.save(this.#session);
    this.#emit({ type: 'state', from, to });
  }
}
