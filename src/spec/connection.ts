/** A connection after `${VAR}` resolution. Lives in memory only: never serialised as-is. */
export interface ResolvedConnection {
  family: string;
  alias: string;
  /** `@family.alias` */
  ref: string;
  fields: Record<string, unknown>;
  /** Field names whose values are secret (from specs plus common names). */
  secretFields: string[];
}

/** Connection metadata safe to print, hash and send to an LLM: secret values replaced by `***`. */
export interface ConnectionSummary {
  family: string;
  alias: string;
  ref: string;
  isDefault: boolean;
  fields: Record<string, unknown>;
}

/**
 * How every database driver retries a connection that failed with a transient error (refused,
 * reset, too many connections). Set per connection with `connect_retries` and `connect_timeout`.
 */
export interface ConnectRetryPolicy {
  /** Attempts after the first one; 0 disables retrying, so the total is `retries + 1`. */
  retries: number;
  /** Delay before the first retry; each further one doubles, up to `maxDelayMs` (with jitter). */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Per attempt. */
  connectTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: ConnectRetryPolicy = {
  retries: 4,
  initialDelayMs: 200,
  maxDelayMs: 5000,
  connectTimeoutMs: 10_000,
};
