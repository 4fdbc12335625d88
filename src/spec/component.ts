import type { ResolvedConnection } from './connection.js';
import type { Driver } from './driver.js';

/** OML step modes and the spec modes they map to (`read` → `extract`). */
export type OmlMode = 'read' | 'write' | 'transform';
export type SpecMode = 'extract' | 'write' | 'transform' | 'discover';
export const OML_MODE_TO_SPEC_MODE: Readonly<Record<OmlMode, SpecMode>> = {
  read: 'extract',
  write: 'write',
  transform: 'transform',
};

export type ConnectionFieldOverride = 'allowed' | 'forbidden' | 'warning';

export interface ConnectionFieldPolicy {
  /** A config key that may also come from the connection (e.g. `host`, `database`). */
  name: string;
  /** May a step's config override the connection's value? */
  override: ConnectionFieldOverride;
}

export interface ComponentExample {
  title: string;
  /** Step config as it would appear in OML. */
  config: Record<string, unknown>;
  /** A complete OML snippet (YAML text) showing the component in a pipeline. */
  oml?: string;
  notes?: string;
}

export interface LlmHints {
  /** One paragraph the agent's system prompt gets about when and how to use the component. */
  promptGuidance: string;
  /** Short patterns, e.g. "use `query` for joins done in the source database". */
  commonPatterns?: string[];
  inputAliases?: Record<string, string[]>;
}

/**
 * A self-describing component. The spec is data: it drives OML validation, `components show`,
 * LLM context and redaction. Validated at load time against schemas/component-spec.schema.json.
 */
export interface ComponentSpec {
  name: string;
  version: string;
  title: string;
  description: string;
  modes: SpecMode[];
  capabilities: Partial<
    Record<
      | 'discover'
      | 'streaming'
      | 'bulkOperations'
      | 'transactions'
      | 'adHocAnalytics'
      | 'inMemoryMove'
      /** Reads only new and changed rows with `config.incremental`. */
      | 'incremental'
      /** Can publish its output as a stream its one consumer reads while it is produced. */
      | 'streamsOutput'
      /** Reads its one input once, start to end, in one statement: it can consume a stream. */
      | 'readsInputOnce',
      boolean
    >
  >;
  /** JSON Schema (draft 2020-12) of the step's `config`. Must set additionalProperties: false. */
  configSchema: Record<string, unknown>;
  /** JSON pointers into config (and the connection) of values that are secret, e.g. `/password`. */
  secrets: string[];
  'x-connection-fields'?: ConnectionFieldPolicy[];
  /** Connection families this component accepts in `config.connection` (`@mysql.alias`). */
  connection?: { families: string[]; required: boolean };
  redaction?: { extras?: string[] };
  examples: ComponentExample[];
  llmHints: LlmHints;
  limits?: Record<string, number | string>;
  /**
   * The driver API version (`DRIVER_API_VERSION` of `osiris-etl/driver`) a project component was
   * written for. Required in a project component's spec.yaml; built-ins leave it out.
   */
  api_version?: number;
}

/** A spec bound to its driver in code; the loader is lazy so `osiris --version` stays fast. */
export interface ComponentDefinition {
  spec: ComponentSpec;
  loadDriver?: () => Promise<Driver>;
  /**
   * Writers whose target can tell the largest value of a column it holds: how a lost incremental
   * state is recovered from the target (`state_recovered`).
   */
  loadTargetCursor?: () => Promise<TargetCursorReader>;
  /** Where a component not built into Osiris comes from; absent for built-ins. */
  origin?: ComponentOrigin;
}

/**
 * `max(column)` of the table a writer's config names, as text; undefined when there is nothing to
 * recover from (an empty table, or a target that cannot tell).
 */
export type TargetCursorReader = (
  connection: ResolvedConnection,
  writerConfig: Record<string, unknown>,
  column: string,
) => Promise<string | undefined>;

/** A project component: `components/<name>/spec.yaml` + `driver.js` in the project folder. */
export interface ComponentOrigin {
  kind: 'project';
  /** The component folder, absolute. */
  directory: string;
  /** Project-relative, `/`-separated: `components/<name>/spec.yaml`. */
  specFile: string;
  driverFile: string;
  /** `sha256:<hex>` of the spec file and driver file contents: part of `registry_fp`. */
  contentHash: string;
}
