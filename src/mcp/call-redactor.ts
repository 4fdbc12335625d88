import { isOsirisError } from '../spec/errors.js';
import type { Redactor } from '../util/redactor.js';

/**
 * The redactor for one call, the last line of defence before anything leaves the server. Built
 * per call: the connections file, `.env` and the environment may change while the server runs,
 * and a secret set a minute ago must be masked now. Callers mask every string by value, keys
 * included (`redactor.strings(value, { keys: true })`), not by field name, so a JSON Schema
 * property called `key` or a column called `token` survives intact.
 */
export async function callRedactor(
  projectDir: string,
  env: Record<string, string | undefined>,
): Promise<Redactor> {
  const { projectRedaction } = await import('../composition/project-redaction.js');
  const { Redactor } = await import('../util/redactor.js');
  const { secretValuesFromEnv } = await import('../observability/redaction.js');
  try {
    return projectRedaction(projectDir, env).redactor;
  } catch (error) {
    if (!isOsirisError(error)) throw error;
    // A connections file that cannot be loaded makes the tool itself fail with its own error;
    // that error is still scrubbed of every secret the environment holds.
    return new Redactor(secretValuesFromEnv(env));
  }
}
