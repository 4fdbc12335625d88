import { isSecretField } from '../util/secret-names.js';

/** Every run session, log command and report masks with the one redactor. */
export { MASK, Redactor } from '../util/redactor.js';

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
