import { redactSecrets } from '../connections/index.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../spec/errors.js';

/**
 * The last line of defence for one call: every text that leaves discovery (error messages,
 * hints, details, per-table failures, warnings) loses the connection's secret values.
 */
export class SecretScrubber {
  readonly #secrets: string[];

  constructor(secrets: Iterable<string>) {
    const values = new Set<string>();
    for (const secret of secrets) {
      values.add(secret);
      values.add(encodeURIComponent(secret));
    }
    this.#secrets = [...values];
  }

  text(value: string): string {
    return redactSecrets(value, this.#secrets);
  }

  /** Strings at any depth of a JSON-like value. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item)]));
    }
    return value;
  }

  /** An OsirisError safe to show; the cause is dropped, since driver errors may quote what they were given. */
  error(error: unknown): OsirisError {
    if (isOsirisError(error)) {
      const details = this.value(error.details ?? {}) as Record<string, unknown>;
      return new OsirisError(error.code, this.text(error.message), {
        ...(error.hint ? { hint: this.text(error.hint) } : {}),
        details,
        retryable: error.retryable,
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new OsirisError(ErrorCodes.DISCOVERY_FAILED, `discovery failed: ${this.text(message)}`, {
      hint: 'this looks like a bug in Osiris; rerun with --verbose and report it',
    });
  }
}
