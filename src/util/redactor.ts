import { isSecretField } from './secret-names.js';

/** What every masked value reads as. */
export const MASK = '***';

/** Shorter values would mask ordinary words and digits all over the text. */
const MINIMUM_SECRET_LENGTH = 4;

/**
 * The password part of `scheme://user:password@host` (the user may be empty). The user name and
 * host stay readable: they say which server a message is about, and are not secrets.
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/\s]+)@/gi;

/** `postgres://user:pw@host/db` → `postgres://user:***@host/db`, even when the password is unknown to us. */
export function maskUrlPasswords(text: string): string {
  return text.replace(URL_PASSWORD, `$1${MASK}@`);
}

/** The password parts of URLs in `text`, so they can be masked wherever else they appear. */
export function urlPasswords(text: string): string[] {
  return [...text.matchAll(URL_PASSWORD)].map((match) => match[2] as string);
}

/**
 * The one redaction primitive: known secret values (longest first, so a secret containing another
 * is masked whole, and percent-encoded as they appear inside URLs) and URL passwords become `***`.
 * Every text that may reach a user, a log, an event, a model or a file goes through one of these.
 */
export class Redactor {
  readonly #given: readonly string[];
  readonly #secrets: readonly string[];

  constructor(secrets: Iterable<string> = []) {
    const given = new Set<string>();
    const values = new Set<string>();
    for (const secret of secrets) {
      if (typeof secret !== 'string' || secret.length < MINIMUM_SECRET_LENGTH) continue;
      given.add(secret);
      values.add(secret);
      values.add(encodeURIComponent(secret));
    }
    this.#given = [...given];
    this.#secrets = [...values].sort((left, right) => right.length - left.length);
  }

  /** A redactor that also masks `secrets`. */
  with(secrets: Iterable<string>): Redactor {
    return new Redactor([...this.#given, ...secrets]);
  }

  text(value: string): string {
    let out = maskUrlPasswords(value);
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  /**
   * Deep copy for logs and files: values under secret-named fields become `***` (an `@family.alias`
   * reference stays, it names a connection), every other string goes through `text`, errors become
   * their redacted message, and bigint becomes a string so the result is JSON-safe.
   */
  value(value: unknown, key?: string): unknown {
    if (key !== undefined && isSecretField(key) && value !== null && value !== undefined && value !== '') {
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

  /**
   * Deep copy with every string masked by value only (a field called `key` or a column called
   * `token` keeps its content unless that content is a secret); with `keys`, object keys too.
   * bigint becomes a string so the result is JSON-safe.
   */
  strings<T>(value: T, options: { keys?: boolean } = {}): T {
    const walk = (item: unknown): unknown => {
      if (typeof item === 'string') return this.text(item);
      if (typeof item === 'bigint') return item.toString();
      if (Array.isArray(item)) return item.map(walk);
      if (item !== null && typeof item === 'object') {
        return Object.fromEntries(
          Object.entries(item).map(([key, inner]) => [options.keys ? this.text(key) : key, walk(inner)]),
        );
      }
      return item;
    };
    return walk(value) as T;
  }
}
