import { CancelledError, ErrorCodes, OsirisError } from '../spec/errors.js';
import type { Manifest } from '../spec/manifest.js';

/**
 * `on_failure: rollback_all`: every writer of the run holds its transaction (or its finished temp
 * file) at `arrive()` until all writers have arrived; then all commit. A failed or cancelled step
 * anywhere in the run releases every waiting writer with an error instead, so each rolls back and
 * no target changes.
 */
export class CommitBarrier {
  readonly #writers: number;
  #arrived = 0;
  #failure: Error | undefined;
  readonly #waiting: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(writers: number) {
    this.#writers = writers;
  }

  /** A writer is ready to commit: resolves once every writer is, rejects if the run fails first. */
  arrive(stepId: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#heldBack(stepId));
    this.#arrived += 1;
    if (this.#arrived >= this.#writers) {
      for (const waiter of this.#waiting.splice(0)) waiter.resolve();
      return Promise.resolve();
    }
    // A writer waiting for the others is not stalled: keep the process alive while it waits (the
    // stall guard fails a step only when nothing at all is left to wait for).
    const keepAlive = setInterval(() => undefined, 60_000);
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        resolve: () => {
          clearInterval(keepAlive);
          resolve();
        },
        reject: () => {
          clearInterval(keepAlive);
          reject(this.#heldBack(stepId));
        },
      });
    });
  }

  /** Something failed (a step, a check, a cancel): no writer of this run may commit. */
  fail(cause: Error): void {
    this.#failure ??= cause;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(cause);
  }

  #heldBack(stepId: string): OsirisError {
    return new OsirisError(
      ErrorCodes.STEP_FAILED,
      `${stepId}: rolled back because another step of the run failed (on_failure: rollback_all)`,
      {
        hint: 'the first failed step says what went wrong; no target of this run was changed',
        details: { cause: this.#failure?.message },
      },
    );
  }
}

/** Writers of a run with `on_failure: rollback_all` all wait for each other: no step may wait for a free slot. */
export function concurrencyFor(
  manifest: { pipeline: { on_failure?: string }; steps: readonly unknown[] },
  concurrency: number,
): number {
  return manifest.pipeline.on_failure === 'rollback_all'
    ? Math.max(concurrency, manifest.steps.length)
    : concurrency;
}

/** The run's barrier when its pipeline says `on_failure: rollback_all`; a cancel releases it too. */
export function commitBarrierFor(manifest: Manifest, signal: AbortSignal): CommitBarrier | undefined {
  if (manifest.pipeline.on_failure !== 'rollback_all') return undefined;
  const barrier = new CommitBarrier(manifest.steps.filter((step) => step.mode === 'write').length);
  const onAbort = () => barrier.fail(new CancelledError('The run was cancelled.'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return barrier;
}
