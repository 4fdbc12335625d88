import { CancelledError, ErrorCodes, OsirisError } from '../../spec/errors.js';

export function readOnlyViolation(ref: string, message: string, cause?: unknown): OsirisError {
  return new OsirisError(ErrorCodes.READ_ONLY_VIOLATION, `${ref}: refused a write: ${message}`, {
    hint: 'discovery and read-only queries can only read; write data with a pipeline (a writer step) instead',
    details: { ref },
    ...(cause === undefined ? {} : { cause }),
  });
}

export function statementTimeout(ref: string, timeoutMs: number, cause?: unknown): OsirisError {
  return new OsirisError(
    ErrorCodes.TIMEOUT,
    `${ref}: the statement ran longer than ${timeoutMs} ms and was stopped`,
    {
      hint: 'narrow the query (a WHERE clause, fewer tables, a LIMIT) or allow a longer timeout',
      details: { ref, timeout_ms: timeoutMs },
      retryable: true,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

export function queryCancelled(ref: string): OsirisError {
  return new CancelledError(`${ref}: cancelled`, { details: { ref } });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `work`, or a rejection with `cancelled()` as soon as `signal` aborts, whichever comes first.
 * Drivers do not always fail a statement whose socket was torn down, so the caller must not
 * wait for them to; the losing promise is left to settle on its own.
 */
export function abortable<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  cancelled: () => Error,
): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(cancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
