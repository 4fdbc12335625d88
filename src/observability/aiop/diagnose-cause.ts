import type { AiopCause } from './aiop-types.js';

/** Codes whose cause lies outside the pipeline: a server, a credential, the disk, the network. */
const ENVIRONMENT_CODES = new Set([
  'E_CONNECTION_FAILED',
  'E_AUTH_FAILED',
  'E_CONNECTION_LOST',
  'E_DISK_FULL',
  'E_TIMEOUT',
  'E_STEP_STALLED',
  'E_ENV_VAR_MISSING',
  'E_TARGET_LOCKED',
  'E_WORKER_DIED',
  'E_ADAPTER_UNAVAILABLE',
  'E_CONNECTIONS_INVALID',
  'E_CONNECTIONS_FILE_NOT_FOUND',
]);

/** Codes whose cause is in what the pipeline asks for: a query, a table, a column, a type, a check. */
const PIPELINE_CODES = new Set([
  'E_QUERY_FAILED',
  'E_SOURCE_READ_FAILED',
  'E_WRITE_FAILED',
  'E_INVALID_OML',
  'E_INVALID_PARAM',
  'E_CURSOR_INVALID',
  'E_CONNECTION_NOT_FOUND',
  'E_COMPONENT_UNKNOWN',
  'E_FILE_NOT_FOUND',
  'E_PATH_ESCAPE',
  'E_CHECK_FAILED',
  'E_RESPONSE_INVALID',
]);

/** Message fragments that name a pipeline problem whatever the code (engines word them like this). */
const PIPELINE_MESSAGES: Array<[RegExp, string]> = [
  [
    /unknown column|column .* (does not exist|not found)|no such column|referenced column/i,
    'a column the pipeline names is not in the source',
  ],
  [
    /(table|relation) .* (does(n't| not) exist|not found)|no such table|unknown table/i,
    'a table the pipeline names does not exist',
  ],
  [/syntax error|parser error/i, 'the SQL of the step does not parse'],
  [
    /conversion|cannot cast|invalid input syntax|out of range|incorrect .* value|data too long/i,
    'a value does not fit the type the target expects',
  ],
  [/duplicate (entry|key)/i, 'rows clash on a key of the target'],
];

/**
 * Where the cause of a step's failure lies. Outside the pipeline the answer is a command to check
 * the environment, never an OML change; in the pipeline it is a fix to propose.
 */
export function diagnoseCause(code: string, message: string, connection: string | undefined): AiopCause {
  if (code === 'E_CANCELLED') return { location: 'interrupted', reason: 'the run was cancelled' };
  if (code === 'E_RUN_CRASHED') return { location: 'interrupted', reason: 'the process running it ended' };
  for (const [pattern, reason] of PIPELINE_MESSAGES) {
    if (pattern.test(message)) return { location: 'pipeline', reason };
  }
  if (ENVIRONMENT_CODES.has(code)) {
    const doctor = connection ? `osiris connections doctor ${connection}` : 'osiris connections doctor';
    return {
      location: 'environment',
      reason: environmentReason(code),
      ...(code === 'E_DISK_FULL' ? { next_command: 'df -h' } : { next_command: doctor }),
    };
  }
  if (PIPELINE_CODES.has(code))
    return { location: 'pipeline', reason: 'the step configuration does not match the data' };
  return {
    location: 'unknown',
    reason: 'the error does not say whether the pipeline or its environment is at fault',
  };
}

function environmentReason(code: string): string {
  switch (code) {
    case 'E_AUTH_FAILED':
      return 'the server refused the credentials (expired or wrong password, key or token)';
    case 'E_DISK_FULL':
      return 'the disk is full';
    case 'E_TARGET_LOCKED':
      return 'another session holds a lock on the target';
    case 'E_ENV_VAR_MISSING':
    case 'E_CONNECTIONS_INVALID':
    case 'E_CONNECTIONS_FILE_NOT_FOUND':
      return 'the connection settings of this machine are incomplete';
    case 'E_WORKER_DIED':
    case 'E_ADAPTER_UNAVAILABLE':
      return 'the execution environment failed';
    default:
      return 'the server could not be reached or stopped answering';
  }
}
