import { connectionMetadata } from '../connections/connection-metadata.js';
import { formatConnectionRef } from '../connections/connection-ref.js';
import { secretNamesFromSpecs } from '../connections/secret-fields.js';
import type { OmlAnalysis } from '../oml/analyze-oml.js';
import { applyConfigDefaults } from '../registry/config-defaults.js';
import type { Registry } from '../registry/registry.js';
import { type CheckDefinition, stepDependencies } from '../spec/checks.js';
import type { ComponentSpec } from '../spec/component.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import {
  type CompiledPipeline,
  type Fingerprints,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestStep,
} from '../spec/manifest.js';
import { fingerprint, formatCanonicalJson, sortKeysDeep } from '../util/canonical-json.js';
import { VERSION } from '../version.js';
import { buildPlan } from './build-plan.js';
import { serializeManifest } from './serialize-manifest.js';
import { streamEdges } from './stream-edges.js';

export const COMPILER_NAME = 'osiris-compiler';

export interface CompiledBuild extends CompiledPipeline {
  /** Build files by path relative to the build folder, with their exact contents. */
  files: Map<string, string>;
}

/**
 * Everything a build folder holds, computed from a valid analysis without touching the disk:
 * step configs with defaults filled, the plan, the manifest and the fingerprints. Nothing in it
 * depends on time, absolute paths or environment values, so equal inputs give equal bytes.
 */
export function buildCompiled(
  analysis: OmlAnalysis,
  registry: Registry,
  options: { profile?: string } = {},
): CompiledBuild {
  const document = analysis.document;
  if (!document) {
    throw new OsirisError(ErrorCodes.INTERNAL, 'cannot compile a document with errors', {
      hint: 'this is a bug in Osiris',
    });
  }
  const specs = new Map<string, ComponentSpec>();
  const cfg: Record<string, Record<string, unknown>> = {};
  const steps: ManifestStep[] = document.steps.map((step) => {
    const spec = registry.spec(step.component)!;
    specs.set(spec.name, spec);
    const config = applyConfigDefaults(spec, analysis.configs[step.id] ?? {});
    cfg[step.id] = sortKeysDeep(config) as Record<string, unknown>;
    return {
      id: step.id,
      component: step.component,
      component_version: spec.version,
      mode: step.mode,
      needs: [...step.needs],
      cfg_path: `cfg/${step.id}.json`,
      ...(typeof config.connection === 'string' ? { connection: config.connection } : {}),
      ...(step.checks?.length
        ? { checks: step.checks.map((check) => sortKeysDeep(check) as CheckDefinition) }
        : {}),
      ...(step.materialize ? { materialize: true as const } : {}),
    };
  });
  const usedSpecs = [...specs.values()].sort((a, b) => a.name.localeCompare(b.name));
  // A step also waits for the steps its relationship checks read.
  const plan = buildPlan(steps.map((step) => ({ id: step.id, needs: stepDependencies(step) })));
  const streams = streamEdges(steps, cfg, (component) => registry.spec(component));
  if (streams.length > 0) plan.streams = streams;

  const manifestBody: Omit<Manifest, 'fingerprints'> = {
    manifest_version: MANIFEST_VERSION,
    pipeline: {
      name: document.name,
      ...(document.description === undefined ? {} : { description: document.description }),
      oml_version: document.oml_version,
      ...(document.on_failure === undefined ? {} : { on_failure: document.on_failure }),
    },
    compiler: { name: COMPILER_NAME, version: VERSION },
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    params: sortKeysDeep(analysis.params) as Record<string, unknown>,
    steps,
    plan,
    ...(document.metadata === undefined
      ? {}
      : { metadata: sortKeysDeep(document.metadata) as Record<string, unknown> }),
  };
  const fingerprints: Fingerprints = {
    oml_fp: fingerprint(document),
    // A project component's driver is part of what it does: its file contents count too.
    registry_fp: fingerprint(
      usedSpecs.map((spec) => {
        const origin = registry.get(spec.name)?.origin;
        return origin ? { spec, source: origin.contentHash } : spec;
      }),
    ),
    compiler_fp: fingerprint({ name: COMPILER_NAME, version: VERSION }),
    params_fp: fingerprint(analysis.params),
    connections_fp: fingerprint(referencedConnections(analysis, usedSpecs)),
    manifest_fp: manifestFingerprint(manifestBody, cfg),
  };
  const manifest: Manifest = { ...manifestBody, fingerprints };

  const files = new Map<string, string>();
  files.set('manifest.yaml', serializeManifest(manifest));
  for (const step of steps) files.set(step.cfg_path, formatCanonicalJson(cfg[step.id]));
  files.set('plan.json', formatCanonicalJson(plan));
  files.set('fingerprints.json', formatCanonicalJson(fingerprints));
  return { manifest, cfg, files };
}

/**
 * `manifest_fp`: the manifest without its fingerprints, together with every step config, so a
 * change to either (including a hand-edited cfg file) changes the fingerprint. loadCompiled
 * recomputes it to refuse builds that were modified after compiling.
 */
export function manifestFingerprint(
  manifest: Omit<Manifest, 'fingerprints'> & { fingerprints?: Fingerprints },
  cfg: Readonly<Record<string, Record<string, unknown>>>,
): string {
  const { fingerprints: _ignored, ...body } = manifest;
  return fingerprint({ manifest: body, cfg });
}

/** Metadata of the connections the steps use (secrets masked, `${VAR}` unresolved), sorted by ref. */
function referencedConnections(analysis: OmlAnalysis, specs: readonly ComponentSpec[]): unknown[] {
  const extraSecretNames = secretNamesFromSpecs(specs);
  const byRef = new Map<string, unknown>();
  for (const raw of Object.values(analysis.connections)) {
    byRef.set(formatConnectionRef(raw.family, raw.alias), connectionMetadata(raw, extraSecretNames));
  }
  return [...byRef.keys()].sort().map((ref) => byRef.get(ref));
}
