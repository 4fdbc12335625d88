import type { Diagnostic } from '../spec/diagnostics.js';
import type { JsonError } from './output.js';

/** The `--json` error of a pipeline with errors; every problem is listed in `diagnostics`. */
export function invalidOml(file: string, diagnostics: readonly Diagnostic[]): JsonError {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  return {
    code: 'E_INVALID_OML',
    message: `${file} is not valid: ${errors} error${errors === 1 ? '' : 's'}.`,
    hint: 'Each problem is in `diagnostics` with its line, column, code and hint.',
  };
}
