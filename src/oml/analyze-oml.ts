import type { ConnectionsConfig, RawConnection } from '../connections/types.js';
import type { Registry } from '../registry/registry.js';
import type { CheckDefinition } from '../spec/checks.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { OML_VERSION, type OmlDocument, type OmlParamDefinition, type OmlStep } from '../spec/oml.js';
import { OmlCodes } from './codes.js';
import { DiagnosticCollector } from './diagnostic-collector.js';
import { readDiscoveredColumns, stepColumnsFromCache } from './discovered-columns.js';
import { findParamReferences, type ParamReference, substituteParams } from './param-references.js';
import { resolveDependencies } from './resolve-dependencies.js';
import { paramEnvName, type ResolvedParams, resolveParams } from './resolve-params.js';
import { checkOmlText } from './source-checks.js';
import { validateChecks } from './validate-checks.js';
import { checkProfileParams, validateParamDefinitions, validateProfiles } from './validate-params-section.js';
import { validateStepPaths } from './validate-paths.js';
import { validateStepConfig } from './validate-step-config.js';
import { type StepDraft, validateSteps } from './validate-steps.js';
import { validateTopLevel } from './validate-top-level.js';
import { describeType, isRecord } from './values.js';
import { parseYamlSource } from './yaml-source.js';

export interface ValidateOmlOptions {
  /** File name as the user gave it; diagnostics carry it. */
  file?: string;
  registry: Registry;
  /** When given, every `config.connection` must resolve to a connection in it. */
  connections?: ConnectionsConfig;
  /** `--param name=value` pairs. */
  params?: Readonly<Record<string, string>>;
  /** Profile whose `params` apply. */
  profile?: string;
  /** Environment for `OSIRIS_PARAM_<NAME>`; none is read when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Absolute project folder: file paths in step configs are checked against it. */
  projectDir?: string;
  /** Absolute path of the pipeline file itself, which no writer may replace. */
  pipelineFile?: string;
}

export interface OmlAnalysis {
  /** The validated document (configs as written, `${params.x}` kept); only when there is no error. */
  document?: OmlDocument;
  diagnostics: Diagnostic[];
  /** Resolved parameter values by name. */
  params: Record<string, unknown>;
  /** Step id → config with parameters substituted. */
  configs: Record<string, Record<string, unknown>>;
  /** Step id → the connection its `config.connection` selects (when connections were given). */
  connections: Record<string, RawConnection>;
}

/** Validate OML text: the document (when valid) and every problem found, ordered by position. */
export function validateOml(
  text: string,
  options: ValidateOmlOptions,
): { document?: OmlDocument; diagnostics: Diagnostic[] } {
  const { document, diagnostics } = analyzeOml(text, options);
  return document ? { document, diagnostics } : { diagnostics };
}

/** validateOml plus what the compiler needs: resolved params, substituted configs, selected connections. */
export function analyzeOml(text: string, options: ValidateOmlOptions): OmlAnalysis {
  const analysis: OmlAnalysis = { diagnostics: [], params: {}, configs: {}, connections: {} };
  const early = checkOmlText(text, options.file);
  if (early) return { ...analysis, diagnostics: [early] };
  const parsed = parseYamlSource(text, options.file);
  if (!parsed.source) return { ...analysis, diagnostics: parsed.diagnostics };

  const collector = new DiagnosticCollector(parsed.source, options.file);
  const root = parsed.value;
  if (!isRecord(root)) {
    collector.error(
      OmlCodes.ROOT_NOT_MAPPING,
      [],
      `the document must be a mapping of OML keys, got ${describeType(root)}`,
      {
        hint: `start with \`oml_version: "${OML_VERSION}"\`, \`name:\` and \`steps:\``,
      },
    );
    return { ...analysis, diagnostics: collector.diagnostics };
  }

  const top = validateTopLevel(root, collector);
  const definitions = validateParamDefinitions(root.params, collector);
  const profiles = validateProfiles(root.profiles, collector);
  const drafts = top.steps ? validateSteps(top.steps, options.registry, collector) : [];
  const declaredIds = (top.steps ?? []).flatMap((step) =>
    isRecord(step) && typeof step.id === 'string' ? [step.id] : [],
  );
  const needsByIndex = resolveDependencies(drafts, declaredIds, collector);

  const references = collectReferences(drafts, collector);
  const resolved = resolveParams({
    definitions,
    profiles,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.params === undefined ? {} : { cli: options.params }),
    ...(options.env === undefined ? {} : { env: options.env }),
    referenced: references.map((reference) => reference.name),
  });
  for (const problem of resolved.problems) {
    collector.report(problem.severity, problem.code, problem.path, problem.message, {
      ...(problem.hint === undefined ? {} : { hint: problem.hint }),
      ...(problem.atKey ? { at: 'key' as const } : {}),
    });
  }
  const reportedByStep = reportReferenceProblems(references, resolved, definitions, collector);
  checkProfileParams(
    profiles,
    new Set([...Object.keys(definitions), ...references.map((reference) => reference.name)]),
    collector,
  );

  for (const draft of drafts) {
    if (!draft.spec || !draft.config) continue;
    const config = substituteParams(draft.config, resolved.values) as Record<string, unknown>;
    const connection = validateStepConfig(
      {
        index: draft.index,
        id: draft.id,
        spec: draft.spec,
        mode: draft.mode,
        config,
        reported: reportedByStep.get(draft.index) ?? new Set(),
        ...(options.connections ? { connections: options.connections } : {}),
      },
      collector,
    );
    validateStepPaths(
      {
        index: draft.index,
        spec: draft.spec,
        mode: draft.mode,
        config,
        reported: reportedByStep.get(draft.index) ?? new Set(),
        ...(options.projectDir === undefined ? {} : { projectDir: options.projectDir }),
        ...(options.pipelineFile === undefined ? {} : { pipelineFile: options.pipelineFile }),
      },
      collector,
    );
    if (draft.id !== undefined) {
      analysis.configs[draft.id] = config;
      if (connection) analysis.connections[draft.id] = connection;
    }
  }

  const checksByIndex = validateStepChecks(drafts, needsByIndex, analysis.configs, options, collector);

  const diagnostics = sortByPosition(collector.diagnostics);
  analysis.diagnostics = diagnostics;
  analysis.params = resolved.values;
  if (collector.hasErrors()) return analysis;

  const steps: OmlStep[] = drafts.map((draft) => ({
    id: draft.id!,
    component: draft.component!,
    mode: draft.mode!,
    config: draft.config!,
    needs: needsByIndex.get(draft.index) ?? [],
    ...(checksByIndex.has(draft.index) ? { checks: checksByIndex.get(draft.index) } : {}),
    ...(draft.materialize ? { materialize: true } : {}),
  }));
  analysis.document = {
    oml_version: OML_VERSION,
    name: top.name!,
    ...(top.description === undefined ? {} : { description: top.description }),
    ...('params' in root ? { params: definitions as Record<string, OmlParamDefinition> } : {}),
    ...('profiles' in root ? { profiles } : {}),
    ...(top.metadata === undefined ? {} : { metadata: top.metadata }),
    ...(top.onFailure === undefined ? {} : { on_failure: top.onFailure }),
    steps,
    extensions: top.extensions,
  };
  return analysis;
}

/**
 * Every step's `checks:`, once all dependencies are known: a relationship may point at any step
 * that does not (through needs or earlier relationships) wait for this one, so no cycle can form.
 * Columns are checked against the discovery cache when the project has one.
 */
function validateStepChecks(
  drafts: readonly StepDraft[],
  needsByIndex: ReadonlyMap<number, string[]>,
  configs: Readonly<Record<string, Record<string, unknown>>>,
  options: ValidateOmlOptions,
  collector: DiagnosticCollector,
): Map<number, CheckDefinition[]> {
  const out = new Map<number, CheckDefinition[]>();
  if (!drafts.some((draft) => draft.checks !== undefined)) return out;
  const discovered = options.projectDir === undefined ? new Map() : readDiscoveredColumns(options.projectDir);
  const stepIds = drafts.flatMap((draft) => (draft.id === undefined ? [] : [draft.id]));
  const waitsFor = new Map<string, Set<string>>(
    drafts.flatMap((draft) =>
      draft.id === undefined ? [] : [[draft.id, new Set(needsByIndex.get(draft.index) ?? [])] as const],
    ),
  );
  const modeOf = new Map(drafts.map((draft) => [draft.id, draft.mode]));
  for (const draft of drafts) {
    if (draft.checks === undefined || draft.id === undefined) continue;
    const stepId = draft.id;
    const checks = validateChecks(
      draft.checks,
      ['steps', draft.index, 'checks'],
      {
        stepId,
        stepIds,
        downstream: dependentsOf(stepId, waitsFor),
        columnsOf: (id) => stepColumnsFromCache(configs[id], modeOf.get(id), discovered),
      },
      collector,
    );
    if (!checks) continue;
    out.set(draft.index, checks);
    for (const check of checks) if (check.type === 'relationship') waitsFor.get(stepId)?.add(check.to_step);
  }
  return out;
}

/** Steps that wait, directly or not, for `stepId`. */
function dependentsOf(stepId: string, waitsFor: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const found = new Set<string>();
  const pending = [stepId];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const [id, deps] of waitsFor) {
      if (deps.has(current) && !found.has(id)) {
        found.add(id);
        pending.push(id);
      }
    }
  }
  return found;
}

interface LocatedReference extends ParamReference {
  stepIndex: number;
}

function collectReferences(drafts: readonly StepDraft[], collector: DiagnosticCollector): LocatedReference[] {
  const located: LocatedReference[] = [];
  for (const draft of drafts) {
    if (!draft.config) continue;
    const { references, malformed } = findParamReferences(draft.config);
    for (const reference of references) located.push({ ...reference, stepIndex: draft.index });
    for (const bad of malformed) {
      collector.error(
        OmlCodes.PARAM_REFERENCE_INVALID,
        ['steps', draft.index, 'config', ...bad.path],
        `malformed parameter reference \`${bad.text}\``,
        {
          hint: 'write `${params.name}` with a name of letters, digits and `_`',
        },
      );
    }
  }
  return located;
}

/** Unresolved and non-embeddable references; returns, per step, the config keys they make unreliable. */
function reportReferenceProblems(
  references: readonly LocatedReference[],
  resolved: Pick<ResolvedParams, 'values' | 'rejected'>,
  definitions: Readonly<Record<string, OmlParamDefinition>>,
  collector: DiagnosticCollector,
): Map<number, Set<string>> {
  const reported = new Map<number, Set<string>>();
  const mark = (reference: LocatedReference): void => {
    const keys = reported.get(reference.stepIndex) ?? new Set<string>();
    keys.add(String(reference.path[0]));
    reported.set(reference.stepIndex, keys);
  };
  for (const reference of references) {
    const path = ['steps', reference.stepIndex, 'config', ...reference.path];
    const value = resolved.values[reference.name];
    if (resolved.rejected.includes(reference.name)) {
      // The value's problem is already reported where the value comes from.
      mark(reference);
    } else if (value === undefined) {
      mark(reference);
      const declared = Object.hasOwn(definitions, reference.name);
      collector.error(OmlCodes.PARAM_UNRESOLVED, path, `param \`${reference.name}\` has no value`, {
        hint:
          `${declared ? `give \`params.${reference.name}\` a default, ` : `declare it under \`params\` with a default, `}` +
          `pass \`--param ${reference.name}=...\`, set ${paramEnvName(reference.name)}, or set it in a profile`,
      });
    } else if (!reference.whole && (Array.isArray(value) || isRecord(value))) {
      mark(reference);
      collector.error(
        OmlCodes.PARAM_TYPE_MISMATCH,
        path,
        `param \`${reference.name}\` is ${describeType(value)} and cannot be embedded in text`,
        {
          hint: `use it as the whole value: \`"\${params.${reference.name}}"\``,
        },
      );
    }
  }
  return reported;
}

function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((diagnostic, order) => ({ diagnostic, order }))
    .sort(
      (a, b) =>
        (a.diagnostic.line ?? 0) - (b.diagnostic.line ?? 0) ||
        (a.diagnostic.column ?? 0) - (b.diagnostic.column ?? 0) ||
        a.order - b.order,
    )
    .map((entry) => entry.diagnostic);
}
