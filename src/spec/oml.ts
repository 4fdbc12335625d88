import type { CheckDefinition } from './checks.js';
import type { OmlMode } from './component.js';

export const OML_VERSION = '0.1.0';

/** A step after validation: positions stripped, `inputs` converted to `needs`. */
export interface OmlStep {
  id: string;
  component: string;
  mode: OmlMode;
  config: Record<string, unknown>;
  /** Explicit or derived (linear chaining) dependencies. */
  needs: string[];
  /** Data checks, normalised (names and severities filled in). */
  checks?: CheckDefinition[];
  /** Keep the output as a data-plane table even where it could stream to its one consumer. */
  materialize?: true;
}

export interface OmlParamDefinition {
  default?: unknown;
  description?: string;
  type?: string;
}

export interface OmlDocument {
  oml_version: string;
  name: string;
  description?: string;
  params?: Record<string, OmlParamDefinition>;
  profiles?: Record<string, { params?: Record<string, unknown> } & Record<string, unknown>>;
  metadata?: Record<string, unknown>;
  /** `rollback_all`: writers commit together once every step succeeded, or none does. */
  on_failure?: 'rollback_all';
  steps: OmlStep[];
  /** `x-*` extensions, kept verbatim. */
  extensions: Record<string, unknown>;
}
