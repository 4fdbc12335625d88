import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffOptions {
  /** Attempts after the first; the total is retries + 1. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  signal?: AbortSignal;
  isRetryable(error: unknown): boolean;
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void | Promise<void>;
}

/**
 * Run `attempt` until it succeeds, a non-retryable error occurs, or the retries run out.
 * Delays grow exponentially up to `maxDelayMs`, with "equal jitter" (half fixed, half random)
 * so many clients failing together do not reconnect in lockstep, yet no delay collapses to zero.
 */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: BackoffOptions,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber > options.retries || !options.isRetryable(error) || options.signal?.aborted)
        throw error;
      const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attemptNumber - 1));
      const delayMs = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      await options.onRetry?.({ attempt: attemptNumber, delayMs, error });
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}
