import { ErrorCodes, OsirisError } from '../spec/errors.js';

/**
 * Where a conversation stands. The model moves the conversational states by calling tools; only
 * code moves AWAIT_APPROVAL → COMPILE → RUN → COMPLETE, after a recorded approval, so nothing that
 * writes data can start because the model said so.
 */
export const AgentStates = [
  'INIT',
  'INTENT_CAPTURED',
  'DISCOVERY',
  'OML_SYNTHESIS',
  'VALIDATE',
  'AWAIT_APPROVAL',
  'COMPILE',
  'RUN',
  'COMPLETE',
  'ERROR',
] as const;

export type AgentState = (typeof AgentStates)[number];

/** States a conversation can wander between while the model works. */
const CONVERSATIONAL: readonly AgentState[] = ['INTENT_CAPTURED', 'DISCOVERY', 'OML_SYNTHESIS', 'VALIDATE'];

const TRANSITIONS: Readonly<Record<AgentState, readonly AgentState[]>> = {
  INIT: ['INTENT_CAPTURED', 'ERROR'],
  INTENT_CAPTURED: ['DISCOVERY', 'OML_SYNTHESIS', 'VALIDATE', 'AWAIT_APPROVAL', 'ERROR'],
  DISCOVERY: ['INTENT_CAPTURED', 'OML_SYNTHESIS', 'VALIDATE', 'AWAIT_APPROVAL', 'ERROR'],
  OML_SYNTHESIS: ['INTENT_CAPTURED', 'DISCOVERY', 'VALIDATE', 'AWAIT_APPROVAL', 'ERROR'],
  // From VALIDATE, back to synthesis is the directed regeneration with the validator's errors.
  VALIDATE: ['OML_SYNTHESIS', 'DISCOVERY', 'AWAIT_APPROVAL', 'INTENT_CAPTURED', 'ERROR'],
  AWAIT_APPROVAL: [...CONVERSATIONAL, 'COMPILE', 'ERROR'],
  COMPILE: ['RUN', 'ERROR'],
  RUN: ['COMPLETE', 'ERROR'],
  COMPLETE: ['INTENT_CAPTURED', 'ERROR'],
  ERROR: [...CONVERSATIONAL, 'AWAIT_APPROVAL'],
};

export function canTransition(from: AgentState, to: AgentState): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

/** Throws when `from → to` is not an edge of the state machine: a bug in the agent, not user input. */
export function assertTransition(from: AgentState, to: AgentState): void {
  if (!canTransition(from, to)) {
    throw new OsirisError(ErrorCodes.INTERNAL, `The agent cannot move from ${from} to ${to}.`, {
      details: { from, to, allowed: TRANSITIONS[from] },
    });
  }
}

export function isAgentState(value: unknown): value is AgentState {
  return typeof value === 'string' && (AgentStates as readonly string[]).includes(value);
}
