import { describe, expect, it } from 'vitest';
import { statementLockWaitMs } from './lock-wait.js';

describe('statementLockWaitMs', () => {
  it('is the lock_timeout, ended before the read watchdog, never under a second', () => {
    expect(statementLockWaitMs(600, undefined)).toBe(600_000);
    expect(statementLockWaitMs(600, 300_000)).toBe(298_000);
    expect(statementLockWaitMs(5, 300_000)).toBe(5_000);
    expect(statementLockWaitMs(600, 1_500)).toBe(1_000);
  });
});
