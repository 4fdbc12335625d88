import { ErrorCodes, isOsirisError, OsirisError } from '../spec/errors.js';
import type { Redactor } from '../util/redactor.js';

/**
 * The last line of defence for one discovery call: the error it throws, safe to show. The cause
 * is dropped, since driver errors may quote what they were given.
 */
export function redactedDiscoveryError(error: unknown, redactor: Redactor): OsirisError {
  if (isOsirisError(error)) {
    return new OsirisError(error.code, redactor.text(error.message), {
      ...(error.hint ? { hint: redactor.text(error.hint) } : {}),
      details: redactor.strings(error.details ?? {}),
      retryable: error.retryable,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OsirisError(ErrorCodes.DISCOVERY_FAILED, `discovery failed: ${redactor.text(message)}`, {
    hint: 'this looks like a bug in Osiris; rerun with --verbose and report it',
  });
}
