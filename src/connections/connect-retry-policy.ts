import {
  type ConnectRetryPolicy,
  DEFAULT_RETRY_POLICY,
  type ResolvedConnection,
} from '../spec/connection.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/**
 * The connection's retry policy: `connect_retries` (attempts after the first) and
 * `connect_timeout` (seconds per attempt) tune the defaults, for every database family.
 */
export function resolveRetryPolicy(
  connection: ResolvedConnection,
  override: Partial<ConnectRetryPolicy> = {},
): ConnectRetryPolicy {
  const retries = wholeNumber(connection.fields.connect_retries, 'connect_retries', connection.ref);
  const timeoutSeconds = wholeNumber(connection.fields.connect_timeout, 'connect_timeout', connection.ref);
  return {
    ...DEFAULT_RETRY_POLICY,
    ...(retries === undefined ? {} : { retries }),
    ...(timeoutSeconds === undefined ? {} : { connectTimeoutMs: timeoutSeconds * 1000 }),
    ...override,
  };
}

/** Numbers may arrive as strings when they come from `${ENV}` templates. */
function wholeNumber(value: unknown, name: string, ref: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  if (Number.isInteger(number) && number >= 0) return number;
  throw new OsirisError(
    ErrorCodes.CONNECTIONS_INVALID,
    `${ref}: ${name} must be a whole number, not "${String(value)}"`,
  );
}
