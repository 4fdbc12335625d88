import type { CheckDefinition } from './checks.js';
import type { OmlMode } from './component.js';

export const MANIFEST_VERSION = '0.1.0';

export interface ManifestStep {
  id: string;
  component: string;
  /** Component spec version the step was compiled against. */
  component_version: string;
  mode: OmlMode;
  needs: string[];
  /** Relative to the build dir: `cfg/<id>.json`. */
  cfg_path: string;
  /** `@family.alias` reference, kept as a reference; resolved only at run time. */
  connection?: string;
  /** Data checks on the step's output (issue 15), run before anything that depends on it. */
  checks?: CheckDefinition[];
  /** `materialize: true` in the OML: the output is kept as a table, never streamed. */
  materialize?: true;
}

export interface Fingerprints {
  oml_fp: string;
  registry_fp: string;
  compiler_fp: string;
  params_fp: string;
  connections_fp: string;
  manifest_fp: string;
}

export interface Plan {
  /** Topological order (stable: ties broken by declaration order). */
  order: string[];
  /** Steps grouped by depth; steps in one level may run concurrently. */
  levels: string[][];
  /**
   * Edges whose rows stream from producer to consumer instead of through a data-plane table: the
   * consumer starts with its producer. Absent when no edge streams (see compiler/stream-edges.ts).
   */
  streams?: StreamEdgePlan[];
}

export interface StreamEdgePlan {
  from: string;
  to: string;
}

export interface Manifest {
  manifest_version: string;
  pipeline: {
    name: string;
    description?: string;
    oml_version: string;
    /** `rollback_all`: writers commit together or not at all (absent: each commits on its own). */
    on_failure?: 'rollback_all';
  };
  compiler: { name: string; version: string };
  params: Record<string, unknown>;
  profile?: string;
  steps: ManifestStep[];
  plan: Plan;
  fingerprints: Fingerprints;
  metadata?: Record<string, unknown>;
}

/** A manifest together with its step configs, as a runner or worker receives it. */
export interface CompiledPipeline {
  manifest: Manifest;
  /** step id → config with defaults filled (connection references kept unresolved). */
  cfg: Record<string, Record<string, unknown>>;
}
