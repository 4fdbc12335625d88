import type { Redactor } from '../observability/redaction.js';
import { isOsirisError } from '../spec/errors.js';

/**
 * The last line of defence before anything leaves the server: every string (keys included) has
 * every known secret value and every URL password replaced by `***`. Values, not key names, are
 * matched, so a JSON Schema property called `key` or a column called `token` survives intact.
 */
export interface SecretScrubber {
  value<T>(value: T): T;
  text(text: string): string;
}

/**
 * Built per call: the connections file, `.env` and the environment may change while the server
 * runs, and a secret set a minute ago must be masked now.
 */
export async function createSecretScrubber(
  projectDir: string,
  env: Record<string, string | undefined>,
): Promise<SecretScrubber> {
  const { projectRedaction } = await import('../observability/logs/project-redaction.js');
  const { Redactor, secretValuesFromEnv } = await import('../observability/redaction.js');
  let redactor: Redactor;
  try {
    redactor = projectRedaction(projectDir, env).redactor;
  } catch (error) {
    if (!isOsirisError(error)) throw error;
    // A connections file that cannot be loaded makes the tool itself fail with its own error;
    // that error is still scrubbed of every secret the environment holds.
    redactor = new Redactor(secretValuesFromEnv(env));
  }
  return scrubberFor(redactor);
}

export function scrubberFor(redactor: Redactor): SecretScrubber {
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return redactor.text(value);
    if (typeof value === 'bigint') return value.toString();
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [redactor.text(key), scrub(item)]),
      );
    }
    return value;
  };
  return { value: <T>(value: T) => scrub(value) as T, text: (text) => redactor.text(text) };
}
