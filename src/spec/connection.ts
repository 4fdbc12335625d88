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
