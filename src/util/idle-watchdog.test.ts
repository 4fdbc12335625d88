import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readTimeoutMs, watchIdle } from './idle-watchdog.js';

describe('watchIdle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const watch = (state: { waiting: boolean; bytes: number }) => {
    const onTimeout = vi.fn();
    const stop = watchIdle({
      timeoutMs: 1000,
      waiting: () => state.waiting,
      bytesMoved: () => state.bytes,
      onTimeout,
    });
    return { onTimeout, stop };
  };

  it('fires once when the peer stays silent while we wait', () => {
    const { onTimeout } = watch({ waiting: true, bytes: 0 });
    vi.advanceTimersByTime(900);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5000);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('counts any byte moved as life', () => {
    const state = { waiting: true, bytes: 0 };
    const { onTimeout } = watch(state);
    for (let i = 0; i < 20; i += 1) {
      state.bytes += 1;
      vi.advanceTimersByTime(500);
    }
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('does not count time we are not waiting (our own backpressure, an idle session)', () => {
    const state = { waiting: false, bytes: 0 };
    const { onTimeout } = watch(state);
    vi.advanceTimersByTime(10_000);
    expect(onTimeout).not.toHaveBeenCalled();
    state.waiting = true;
    vi.advanceTimersByTime(900);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('stops when told', () => {
    const { onTimeout, stop } = watch({ waiting: true, bytes: 0 });
    stop();
    vi.advanceTimersByTime(10_000);
    expect(onTimeout).not.toHaveBeenCalled();
  });
});

describe('readTimeoutMs', () => {
  const invalid = (text: string) => new Error(`bad ${text}`);
  it('defaults to 300 s, reads seconds from numbers and ${VAR} text, and 0 turns it off', () => {
    expect(readTimeoutMs(undefined, invalid)).toBe(300_000);
    expect(readTimeoutMs(5, invalid)).toBe(5000);
    expect(readTimeoutMs('2.5', invalid)).toBe(2500);
    expect(readTimeoutMs(0, invalid)).toBeUndefined();
    expect(() => readTimeoutMs('soon', invalid)).toThrow('bad soon');
    expect(() => readTimeoutMs(-1, invalid)).toThrow('bad -1');
  });
});
