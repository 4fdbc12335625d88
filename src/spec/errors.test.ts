import { describe, expect, it } from 'vitest';
import { ErrorCodes, ErrorExitCodes, ExitCodes, exitCodeForError } from './errors.js';

/** The codes that mean "fix your input": exit 2. */
const INPUT_CODES = [
  'E_USAGE',
  'E_FILE_NOT_FOUND',
  'E_INVALID_OML',
  'E_INVALID_PARAM',
  'E_PATH_ESCAPE',
  'E_COMPONENT_UNKNOWN',
  'E_COMPONENT_INVALID',
  'E_COMPONENT_API_VERSION',
  'E_CONNECTIONS_FILE_NOT_FOUND',
  'E_CONNECTIONS_INVALID',
  'E_CONNECTION_NOT_FOUND',
  'E_CONNECTION_AMBIGUOUS',
  'E_ENV_VAR_MISSING',
  'E_MANIFEST_INVALID',
  'E_NO_LAST_COMPILE',
  'E_RUN_NOT_FOUND',
  'E_SESSION_NOT_FOUND',
  'E_PROVIDER_NOT_CONFIGURED',
  'E_ADAPTER_UNAVAILABLE',
];

describe('the error catalogue', () => {
  it('gives every code its exit status: 2 input, 3 failed step or check, 130 cancelled, 1 the rest', () => {
    expect(Object.keys(ErrorExitCodes).sort()).toEqual(Object.values(ErrorCodes).sort());
    for (const code of Object.values(ErrorCodes)) {
      const expected = INPUT_CODES.includes(code)
        ? ExitCodes.INVALID_INPUT
        : code === 'E_STEP_FAILED' || code === 'E_CHECK_FAILED'
          ? ExitCodes.STEP_FAILED
          : code === 'E_CANCELLED'
            ? ExitCodes.INTERRUPTED
            : ExitCodes.INTERNAL;
      expect([code, exitCodeForError(code)]).toEqual([code, expected]);
    }
  });

  it('treats a code it does not know (another version, a plugin) as internal', () => {
    expect(exitCodeForError('E_FROM_THE_FUTURE')).toBe(ExitCodes.INTERNAL);
    expect(exitCodeForError('toString')).toBe(ExitCodes.INTERNAL);
  });
});
