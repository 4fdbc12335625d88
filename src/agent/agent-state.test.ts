import { describe, expect, it } from 'vitest';
import { AgentStates, assertTransition, canTransition } from './agent-state.js';

describe('agent state machine', () => {
  it('walks the happy path from INIT to COMPLETE', () => {
    const path = [
      'INIT',
      'INTENT_CAPTURED',
      'DISCOVERY',
      'OML_SYNTHESIS',
      'VALIDATE',
      'AWAIT_APPROVAL',
      'COMPILE',
      'RUN',
      'COMPLETE',
    ] as const;
    for (let index = 1; index < path.length; index += 1)
      expect(canTransition(path[index - 1]!, path[index]!)).toBe(true);
  });

  it('allows one directed regeneration edge VALIDATE → OML_SYNTHESIS', () => {
    expect(canTransition('VALIDATE', 'OML_SYNTHESIS')).toBe(true);
  });

  it('reaches COMPILE only from AWAIT_APPROVAL, RUN only from COMPILE, COMPLETE only from RUN', () => {
    for (const state of AgentStates) {
      if (state !== 'COMPILE')
        expect(canTransition(state, 'COMPILE'), state).toBe(state === 'AWAIT_APPROVAL');
      if (state !== 'RUN') expect(canTransition(state, 'RUN'), state).toBe(state === 'COMPILE');
      if (state !== 'COMPLETE') expect(canTransition(state, 'COMPLETE'), state).toBe(state === 'RUN');
    }
  });

  it('recovers from ERROR into the conversation, and every state can fail', () => {
    expect(canTransition('ERROR', 'INTENT_CAPTURED')).toBe(true);
    for (const state of AgentStates) expect(canTransition(state, 'ERROR'), state).toBe(true);
  });

  it('throws an internal error naming the edge it refuses', () => {
    expect(() => assertTransition('INIT', 'RUN')).toThrow(/cannot move from INIT to RUN/);
  });
});
