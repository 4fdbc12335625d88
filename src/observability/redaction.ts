import { isSecretField } from '../connections/secret-fields.js';

export const MASK = '***';

/** One rule for what counts as a secret name, shared with connection masking. */
export const isSecretKey = (key: string): boolean => isSecretField(key);

/** Shell variables whose names look secret (`…PWD`) but hold the working directory. */
const SHELL_PATH_VARIABLES = new Set(['PWD', 'OLDPWD']);

/** Environment variables whose values count as secrets even when no connection uses them. */
export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && !SHELL_PATH_VARIABLES.has(name) && isSecretKey(name))
    .map(([, value]) => value as string);
}

/** URL credentials (`scheme://user:password@host`) are masked even when the password is unknown to us. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/?#\s]+:)([^@/\s]+)(@)/gi;

/**
 * Masks known secret values anywhere in text, secret-named fields in objects, and passwords in
 * connection URLs. Every line written by a run session goes through one of these.
 */
export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: Iterable<string> = []) {
    // Longest first so a secret containing another secret is masked whole; very short values
    // would mask ordinary words and numbers, so they are left out.
    this.#secrets = [...new Set([...secrets].filter((s) => s.length >= 4))].sort(
      (a, b) => b.length - a.length,
    );
  }

  with(secrets: Iterable<string>): Redactor {
    return new Redactor([...this.#secrets, ...secrets]);
  }

  text(value: string): string {
    let out = value.replace(URL_CREDENTIALS, `$1${MASK}$3`);
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** Deep copy with secrets masked; bigint becomes a string so the result is JSON-safe. */
  value(value: unknown, key?: string): unknown {
    if (key !== undefined && isSecretKey(key) && value !== null && value !== undefined && value !== '') {
      return typeof value === 'string' && value.startsWith('@') ? value : MASK;
    }
    if (typeof value === 'string') return this.text(value);
    if (typeof value === 'bigint') return value.toString();
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value instanceof Error) return this.text(value.message);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.value(v, k);
      return out;
    }
    return value;
  }
}
