import { ErrorCodes, OsirisError } from '../spec/errors.js';

/** `--param k=v` (repeatable) into a map; a value may itself contain `=`. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new OsirisError(ErrorCodes.INVALID_PARAM, `--param expects key=value, got '${pair}'.`, {
        hint: 'Example: --param since=2024-01-01',
      });
    }
    params[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return params;
}
