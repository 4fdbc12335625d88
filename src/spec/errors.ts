/**
 * One error type for everything a user can see. Recognisable without `instanceof`
 * (errors cross process boundaries in the proxy worker), so `isOsirisError` checks the shape.
 */
export interface OsirisErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
  retryable?: boolean;
}

export class OsirisError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;
  readonly retryable: boolean;
  readonly osiris = true as const;

  constructor(code: ErrorCode, message: string, options: OsirisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OsirisError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? false;
  }

  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.details).length > 0 ? { details: this.details } : {}),
      retryable: this.retryable,
    };
  }
}

export interface SerializedError {
  code: string;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
  retryable?: boolean;
}

export function isOsirisError(value: unknown): value is OsirisError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { osiris?: unknown }).osiris === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/**
 * The catalogue of stable error codes. Codes never change meaning once released;
 * new failures get new codes. OML diagnostics have their own catalogue (OMLnnn) in diagnostics.ts.
 */
export const ErrorCodes = {
  // usage / input
  USAGE: 'E_USAGE',
  FILE_NOT_FOUND: 'E_FILE_NOT_FOUND',
  INVALID_OML: 'E_INVALID_OML',
  INVALID_PARAM: 'E_INVALID_PARAM',
  PATH_ESCAPE: 'E_PATH_ESCAPE',
  // registry
  SPEC_INVALID: 'E_SPEC_INVALID',
  COMPONENT_UNKNOWN: 'E_COMPONENT_UNKNOWN',
  DRIVER_MISSING: 'E_DRIVER_MISSING',
  /** A project component (`components/<name>/`) is broken: spec, driver file, or a built-in's name. */
  COMPONENT_INVALID: 'E_COMPONENT_INVALID',
  /** A project component was written for a driver API version this Osiris does not provide. */
  COMPONENT_API_VERSION: 'E_COMPONENT_API_VERSION',
  /** A project component's driver threw an unexpected error or returned something other than `{ table?, rows }`. */
  COMPONENT_FAILED: 'E_COMPONENT_FAILED',
  // connections
  CONNECTIONS_FILE_NOT_FOUND: 'E_CONNECTIONS_FILE_NOT_FOUND',
  CONNECTIONS_INVALID: 'E_CONNECTIONS_INVALID',
  CONNECTION_NOT_FOUND: 'E_CONNECTION_NOT_FOUND',
  CONNECTION_AMBIGUOUS: 'E_CONNECTION_AMBIGUOUS',
  ENV_VAR_MISSING: 'E_ENV_VAR_MISSING',
  CONNECTION_FAILED: 'E_CONNECTION_FAILED',
  AUTH_FAILED: 'E_AUTH_FAILED',
  // compiler / manifest
  COMPILE_FAILED: 'E_COMPILE_FAILED',
  MANIFEST_INVALID: 'E_MANIFEST_INVALID',
  NO_LAST_COMPILE: 'E_NO_LAST_COMPILE',
  // runtime
  STEP_FAILED: 'E_STEP_FAILED',
  /** An `error` data check on a step's output failed: nothing that depends on the step ran. */
  CHECK_FAILED: 'E_CHECK_FAILED',
  QUERY_FAILED: 'E_QUERY_FAILED',
  SOURCE_READ_FAILED: 'E_SOURCE_READ_FAILED',
  WRITE_FAILED: 'E_WRITE_FAILED',
  /** Another run (or session) kept the target table past the writer's lock_timeout. */
  TARGET_LOCKED: 'E_TARGET_LOCKED',
  /** The disk under the run's data plane (or an output) filled up. */
  DISK_FULL: 'E_DISK_FULL',
  CANCELLED: 'E_CANCELLED',
  TIMEOUT: 'E_TIMEOUT',
  /** The connection to a database dropped while a step was using it (server gone, session killed). */
  CONNECTION_LOST: 'E_CONNECTION_LOST',
  /** An HTTP API answered with an error status (after the retries a 429/5xx gets). */
  HTTP_STATUS: 'E_HTTP_STATUS',
  /** An HTTP API answered with a body that is not what the step expects (malformed JSON, no record list). */
  RESPONSE_INVALID: 'E_RESPONSE_INVALID',
  /** An HTTP response was larger than the step's `max_response_bytes`. */
  RESPONSE_TOO_LARGE: 'E_RESPONSE_TOO_LARGE',
  /** A step could never finish: nothing was left that could complete it (a driver lost its last event). */
  STEP_STALLED: 'E_STEP_STALLED',
  UPSTREAM_FAILED: 'E_UPSTREAM_FAILED',
  RUN_NOT_FOUND: 'E_RUN_NOT_FOUND',
  /** The process running a run ended (killed, crashed) without finishing it; found by a later command. */
  RUN_CRASHED: 'E_RUN_CRASHED',
  // remote execution
  WORKER_PROTOCOL: 'E_WORKER_PROTOCOL',
  WORKER_DIED: 'E_WORKER_DIED',
  ADAPTER_UNAVAILABLE: 'E_ADAPTER_UNAVAILABLE',
  // discovery
  DISCOVERY_FAILED: 'E_DISCOVERY_FAILED',
  READ_ONLY_VIOLATION: 'E_READ_ONLY_VIOLATION',
  /** An incremental extractor's cursor column is missing from its source, or of a type it cannot order by. */
  CURSOR_INVALID: 'E_CURSOR_INVALID',
  /** The incremental state store (.osiris/state.db) cannot be read or written. */
  STATE_FAILED: 'E_STATE_FAILED',
  // agent
  PROVIDER_NOT_CONFIGURED: 'E_PROVIDER_NOT_CONFIGURED',
  PROVIDER_FAILED: 'E_PROVIDER_FAILED',
  APPROVAL_REQUIRED: 'E_APPROVAL_REQUIRED',
  SESSION_NOT_FOUND: 'E_SESSION_NOT_FOUND',
  // anything we did not anticipate
  INTERNAL: 'E_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/**
 * The one error for work stopped because its run or step was cancelled (Ctrl-C, a failed sibling,
 * an abort signal): `E_CANCELLED`, never retryable. Every layer throws this class, so nothing has
 * to guess whether an AbortError or a driver's "query interrupted" meant a cancellation.
 */
export class CancelledError extends OsirisError {
  constructor(
    message = 'The step was cancelled.',
    options: Pick<OsirisErrorOptions, 'cause' | 'details'> = {},
  ) {
    super(ErrorCodes.CANCELLED, message, options);
  }
}

/** CLI exit codes shared by every command. */
export const ExitCodes = {
  OK: 0,
  INTERNAL: 1,
  INVALID_INPUT: 2,
  STEP_FAILED: 3,
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

const { INTERNAL, INVALID_INPUT, STEP_FAILED, INTERRUPTED } = ExitCodes;

/**
 * The exit status of a command that fails with each code: 2 when the user's input is at fault (the
 * command line, a file, the environment), 3 for a failed step, 130 for a cancelled run, 1 for the
 * rest. Every code has one: the compiler refuses a new code without its exit status.
 */
export const ErrorExitCodes: Readonly<Record<ErrorCode, ExitCode>> = {
  // usage / input
  [ErrorCodes.USAGE]: INVALID_INPUT,
  [ErrorCodes.FILE_NOT_FOUND]: INVALID_INPUT,
  [ErrorCodes.INVALID_OML]: INVALID_INPUT,
  [ErrorCodes.INVALID_PARAM]: INVALID_INPUT,
  [ErrorCodes.PATH_ESCAPE]: INVALID_INPUT,
  // registry
  [ErrorCodes.SPEC_INVALID]: INTERNAL,
  [ErrorCodes.COMPONENT_UNKNOWN]: INVALID_INPUT,
  [ErrorCodes.DRIVER_MISSING]: INTERNAL,
  [ErrorCodes.COMPONENT_INVALID]: INVALID_INPUT,
  [ErrorCodes.COMPONENT_API_VERSION]: INVALID_INPUT,
  [ErrorCodes.COMPONENT_FAILED]: INTERNAL,
  // connections
  [ErrorCodes.CONNECTIONS_FILE_NOT_FOUND]: INVALID_INPUT,
  [ErrorCodes.CONNECTIONS_INVALID]: INVALID_INPUT,
  [ErrorCodes.CONNECTION_NOT_FOUND]: INVALID_INPUT,
  [ErrorCodes.CONNECTION_AMBIGUOUS]: INVALID_INPUT,
  [ErrorCodes.ENV_VAR_MISSING]: INVALID_INPUT,
  [ErrorCodes.CONNECTION_FAILED]: INTERNAL,
  [ErrorCodes.AUTH_FAILED]: INTERNAL,
  // compiler / manifest
  [ErrorCodes.COMPILE_FAILED]: INTERNAL,
  [ErrorCodes.MANIFEST_INVALID]: INVALID_INPUT,
  [ErrorCodes.NO_LAST_COMPILE]: INVALID_INPUT,
  // runtime
  [ErrorCodes.STEP_FAILED]: STEP_FAILED,
  [ErrorCodes.CHECK_FAILED]: STEP_FAILED,
  [ErrorCodes.QUERY_FAILED]: INTERNAL,
  [ErrorCodes.SOURCE_READ_FAILED]: INTERNAL,
  [ErrorCodes.WRITE_FAILED]: INTERNAL,
  [ErrorCodes.TARGET_LOCKED]: INTERNAL,
  [ErrorCodes.DISK_FULL]: INTERNAL,
  [ErrorCodes.CANCELLED]: INTERRUPTED,
  [ErrorCodes.TIMEOUT]: INTERNAL,
  [ErrorCodes.CONNECTION_LOST]: INTERNAL,
  [ErrorCodes.HTTP_STATUS]: INTERNAL,
  [ErrorCodes.RESPONSE_INVALID]: INTERNAL,
  [ErrorCodes.RESPONSE_TOO_LARGE]: INTERNAL,
  [ErrorCodes.STEP_STALLED]: INTERNAL,
  [ErrorCodes.UPSTREAM_FAILED]: INTERNAL,
  [ErrorCodes.RUN_NOT_FOUND]: INVALID_INPUT,
  [ErrorCodes.RUN_CRASHED]: INTERNAL,
  // remote execution
  [ErrorCodes.WORKER_PROTOCOL]: INTERNAL,
  [ErrorCodes.WORKER_DIED]: INTERNAL,
  [ErrorCodes.ADAPTER_UNAVAILABLE]: INVALID_INPUT,
  // discovery
  [ErrorCodes.DISCOVERY_FAILED]: INTERNAL,
  [ErrorCodes.READ_ONLY_VIOLATION]: INTERNAL,
  // incremental state
  [ErrorCodes.CURSOR_INVALID]: INTERNAL,
  [ErrorCodes.STATE_FAILED]: INTERNAL,
  // agent
  [ErrorCodes.PROVIDER_NOT_CONFIGURED]: INVALID_INPUT,
  [ErrorCodes.PROVIDER_FAILED]: INTERNAL,
  [ErrorCodes.APPROVAL_REQUIRED]: INTERNAL,
  [ErrorCodes.SESSION_NOT_FOUND]: INVALID_INPUT,
  // anything we did not anticipate
  [ErrorCodes.INTERNAL]: INTERNAL,
};

/** The exit status for an error code; a code from elsewhere (another version's worker) is internal. */
export function exitCodeForError(code: string): ExitCode {
  return Object.hasOwn(ErrorExitCodes, code) ? ErrorExitCodes[code as ErrorCode] : INTERNAL;
}
