import { ErrorCodes, isOsirisError, type SerializedError } from '../spec/errors.js';
import type { TurnBody, TurnScope } from './turn-types.js';

/** An error as the user and the session may see it: serialised, with every known secret masked. */
export function redactedError(scope: TurnScope, error: unknown): SerializedError {
  const serialized: SerializedError = isOsirisError(error)
    ? error.toJSON()
    : { code: ErrorCodes.INTERNAL, message: error instanceof Error ? error.message : String(error) };
  return JSON.parse(scope.options.redact(JSON.stringify(serialized))) as SerializedError;
}

/** A failure told to the user; the session moves to ERROR and the conversation goes on. */
export function reportFailure(scope: TurnScope, error: unknown, signal: AbortSignal): TurnBody {
  const problem = redactedError(scope, error);
  scope.store.recordEvent(scope.session.id, 'error', { ...problem });
  scope.softEnter('ERROR');
  if (signal.aborted) {
    scope.emit({ type: 'notice', level: 'warning', text: 'cancelled' });
    return { outcome: 'cancelled', text: '', error: problem };
  }
  scope.emit({
    type: 'notice',
    level: 'error',
    text: problem.message,
    ...(problem.hint ? { hint: problem.hint } : {}),
  });
  return { outcome: 'failed', text: '', error: problem };
}

export function shorten(text: string, limit: number): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > limit ? `${single.slice(0, limit - 1)}…` : single;
}
