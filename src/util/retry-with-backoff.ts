import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectRetryPolicy } from '../spec/connection.js';
import type { StepLogger } from '../spec/driver.js';
import { CancelledError, type OsirisError } from '../spec/errors.js';

export interface BackoffOptions
  extends Pick<ConnectRetryPolicy, 'retries' | 'initialDelayMs' | 'maxDelayMs'> {
  signal?: AbortSignal;
  isRetryable(error: unknown): boolean;
  /** The delay the failure itself asks for (an HTTP 429's `Retry-After`), used instead of the backoff's. */
  delayFor?(error: unknown): number | undefined;
  onRetry?(info: { attempt: number; delayMs: number; error: unknown }): void | Promise<void>;
}

/**
 * The delay before retry number `attempt` (1 = the first retry): exponential up to `maxDelayMs`,
 * with "equal jitter" (half fixed, half random) so many clients failing together do not reconnect
 * in lockstep, yet no delay collapses to zero.
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<ConnectRetryPolicy, 'initialDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The one backoff: run `attempt` until it succeeds, a non-retryable error occurs, or the `retries`
 * after the first attempt run out (the last error is thrown). An abort, before an attempt or during
 * a delay, ends it with a CancelledError.
 */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: BackoffOptions,
): Promise<T> {
  const cancelled = (cause?: unknown) => new CancelledError('Cancelled while connecting.', { cause });
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    if (options.signal?.aborted) throw cancelled();
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber > options.retries || !options.isRetryable(error) || options.signal?.aborted)
        throw error;
      const delayMs = options.delayFor?.(error) ?? backoffDelay(attemptNumber, options);
      await options.onRetry?.({ attempt: attemptNumber, delayMs, error });
      try {
        await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {});
      } catch (interrupted) {
        throw cancelled(interrupted);
      }
    }
  }
}

/** Retries become one `connection_retry` event for every family, so a slow start shows in the run's log. */
export function reportRetry(ctx: { log: StepLogger }) {
  return (info: { attempt: number; delayMs: number; error: OsirisError }) =>
    ctx.log.event('connection_retry', {
      attempt: info.attempt,
      delay_ms: info.delayMs,
      error_code: info.error.code,
      message: info.error.message,
    });
}
