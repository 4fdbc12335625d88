import { createHash } from 'node:crypto';
import type { RunDetails, StepDetails } from '../logs/run-details.js';
import {
  AIOP_VERSION,
  type AiopCore,
  type AiopError,
  type AiopPackage,
  type AiopStep,
  DEFAULT_MAX_CORE_BYTES,
  type Evidence,
  type TruncationMarker,
} from './aiop-types.js';
import { collectEvidence, evidencePriority, RUN_SCOPE } from './collect-evidence.js';
import { diagnoseCause } from './diagnose-cause.js';
import { narrateRun } from './narrate-run.js';
import { renderRunCard } from './render-run-card.js';
import { runDelta } from './run-delta.js';

export interface BuildAiopOptions {
  /** The previous successful run of the same pipeline (already redacted), for the delta. */
  previous?: RunDetails;
  /** Row samples in the package (default true); `--no-samples` sets false. */
  samples?: boolean;
  maxCoreBytes?: number;
  /** Masks known secret values in a text; applied to every file of the package. */
  redact?: (text: string) => string;
}

export const EVIDENCE_ANNEX = 'annex/evidence.ndjson';
export const STEPS_ANNEX = 'annex/steps.ndjson';
/** Errors listed in the core; the rest are in the steps annex. */
const CORE_ERRORS = 50;
/** Evidence ids listed on one step in the core. */
const STEP_EVIDENCE = 12;

/**
 * The package of a run read back by loadRunDetails (already redacted): pure, so the same session
 * gives byte-identical files. Nothing machine-specific goes in (no absolute paths, no clock).
 */
export function buildAiop(details: RunDetails, options: BuildAiopOptions = {}): AiopPackage {
  const samples = options.samples !== false;
  const maxCoreBytes = options.maxCoreBytes ?? DEFAULT_MAX_CORE_BYTES;
  const redact = options.redact ?? ((text: string) => text);
  const evidence = collectEvidence(details.events, details.metrics, details.startedAt);
  const stepEvidence = evidenceByStep(evidence);
  const steps = details.steps.map((step) => aiopStep(step, details.startedAt, stepEvidence, samples));
  const errors = aiopErrors(details, steps, evidence);
  const checks = evidence
    .filter((item) => item.kind === 'event' && item.name.startsWith('check_'))
    .map((item) => ({
      step: item.step,
      status: item.name === 'check_failed' ? 'failed' : 'passed',
      ...item.data,
      evidence: item.id,
    }));
  const incremental = evidence
    .filter((item) => item.kind === 'event' && item.name.startsWith('state_'))
    .map((item) => ({ step: item.step, event: item.name, ...item.data, evidence: item.id }));
  const manifest = details.manifest?.value;
  const run: AiopCore['run'] = {
    run_id: details.runId,
    pipeline: details.pipeline,
    status: details.status,
    adapter: details.adapter,
    started_at: details.startedAt,
    ...(details.finishedAt ? { finished_at: details.finishedAt } : {}),
    ...(details.durationMs !== undefined ? { duration_ms: details.durationMs } : {}),
    total_rows: details.totalRows,
    manifest_fp: details.manifestFp,
    ...(details.fingerprints ? { fingerprints: { ...details.fingerprints } as Record<string, string> } : {}),
    ...(manifest?.params && Object.keys(manifest.params).length > 0 ? { params: manifest.params } : {}),
    evidence: evidence
      .filter(
        (item) => item.step === RUN_SCOPE && (item.name === 'run_start' || item.name === 'run_complete'),
      )
      .map((item) => item.id),
  };
  const dag = {
    levels: details.levels,
    edges: steps.flatMap((step) => step.needs.map((need) => ({ from: need, to: step.id }))),
    steps,
  };
  const delta = runDelta(details, options.previous);
  const narrative = narrateRun(
    { aiop_version: AIOP_VERSION, run, dag, errors, checks, incremental, delta },
    evidence,
  );

  const annex = new Map<string, string>([
    [EVIDENCE_ANNEX, redact(ndjson(evidence))],
    [STEPS_ANNEX, redact(ndjson(steps))],
  ]);
  const core: AiopCore = {
    aiop_version: AIOP_VERSION,
    run,
    narrative,
    errors: errors.slice(0, CORE_ERRORS),
    checks,
    incremental,
    delta,
    dag,
    evidence,
    annex: {
      files: [...annex.entries()].map(([name, text]) => ({
        name,
        records: text === '' ? 0 : text.split('\n').length - 1,
        sha256: createHash('sha256').update(text).digest('hex'),
      })),
    },
    truncated: errors.length > CORE_ERRORS ? [marker('errors', CORE_ERRORS, errors.length, STEPS_ANNEX)] : [],
    privacy: {
      samples,
      note:
        'Secret-named fields and known secret values are masked as ***; connections appear as @family.alias. ' +
        (samples
          ? 'Up to 10 redacted sample rows per step output are included.'
          : 'Row samples are left out (--no-samples).'),
    },
    limits: { max_core_bytes: maxCoreBytes },
  };
  const fitted = fitCore(core, maxCoreBytes, redact);
  return { core: fitted.core, json: fitted.json, markdown: redact(renderRunCard(fitted.core)), annex };
}

function marker(section: string, kept: number, total: number, annex: string): TruncationMarker {
  return { section, kept, total, annex };
}

function ndjson(items: readonly unknown[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

function serialize(core: AiopCore, redact: (text: string) => string): string {
  return redact(`${JSON.stringify(core, null, 2)}\n`);
}

function evidenceByStep(evidence: Evidence[]): Map<string, Evidence[]> {
  const byStep = new Map<string, Evidence[]>();
  for (const item of evidence) {
    if (evidencePriority(item) > 2) continue;
    const list = byStep.get(item.step) ?? [];
    list.push(item);
    byStep.set(item.step, list);
  }
  return byStep;
}

function aiopStep(
  step: StepDetails,
  startedAt: string,
  stepEvidence: Map<string, Evidence[]>,
  samples: boolean,
): AiopStep {
  const out: AiopStep = {
    id: step.id,
    component: step.component,
    ...(step.mode ? { mode: step.mode } : {}),
    needs: step.needs,
    ...(step.connection ? { connection: step.connection } : {}),
    status: step.status,
    rows: step.rows,
    ...(step.rowsRead !== undefined ? { rows_read: step.rowsRead } : {}),
    ...(step.rowsWritten !== undefined ? { rows_written: step.rowsWritten } : {}),
    ...(step.durationMs !== undefined ? { duration_ms: step.durationMs } : {}),
    evidence: [],
  };
  if (step.startedAt) {
    const ms = Date.parse(step.startedAt) - Date.parse(startedAt);
    if (Number.isFinite(ms)) out.started_ms = Math.max(0, Math.round(ms));
  }
  if (step.config) out.config = step.config;
  if (step.schema) out.schema = step.schema;
  if (samples && step.sample) out.sample = step.sample;
  if (step.warnings.length > 0) out.warnings = step.warnings;
  if (step.error) out.error = step.error;
  if (step.skipped) out.skipped = step.skipped;
  const items = stepEvidence.get(step.id) ?? [];
  const important = [...items]
    .sort((a, b) => evidencePriority(a) - evidencePriority(b))
    .slice(0, STEP_EVIDENCE);
  out.evidence = items.filter((item) => important.includes(item)).map((item) => item.id);
  return out;
}

function aiopErrors(details: RunDetails, steps: AiopStep[], evidence: Evidence[]): AiopError[] {
  const errors: AiopError[] = [];
  for (const step of steps) {
    if (!step.error || step.error.code === 'E_UPSTREAM_FAILED' || step.status === 'skipped') continue;
    const failed = evidence.find((item) => item.step === step.id && item.name === 'step_failed');
    errors.push({
      step: step.id,
      component: step.component,
      ...(step.connection ? { connection: step.connection } : {}),
      code: step.error.code,
      message: step.error.message,
      ...(step.error.hint ? { hint: step.error.hint } : {}),
      cause: diagnoseCause(step.error.code, step.error.message, step.connection),
      evidence: failed ? [failed.id] : [],
    });
  }
  if (errors.length === 0 && details.error) {
    const complete = evidence.find((item) => item.step === RUN_SCOPE && item.name === 'run_complete');
    const step = details.error.stepId
      ? steps.find((candidate) => candidate.id === details.error?.stepId)
      : undefined;
    errors.push({
      step: step?.id ?? RUN_SCOPE,
      ...(step ? { component: step.component } : {}),
      ...(step?.connection ? { connection: step.connection } : {}),
      code: details.error.code,
      message: details.error.message,
      ...(details.error.hint ? { hint: details.error.hint } : {}),
      cause: diagnoseCause(details.error.code, details.error.message, step?.connection),
      evidence: complete ? [complete.id] : [],
    });
  }
  return errors;
}

/**
 * Keep the core under `maxBytes`: first the least important evidence goes (progress, debug),
 * then samples, then configs and schemas, then steps that succeeded. Each cut leaves a marker
 * naming the annex file that still holds everything.
 */
function fitCore(
  full: AiopCore,
  maxBytes: number,
  redact: (text: string) => string,
): { core: AiopCore; json: string } {
  const json = serialize(full, redact);
  if (Buffer.byteLength(json) <= maxBytes) return { core: full, json };
  const ranked = full.evidence
    .map((item, position) => ({ item, position }))
    .sort(
      (left, right) =>
        evidencePriority(left.item) - evidencePriority(right.item) || left.position - right.position,
    );
  const shapes: Array<(core: AiopCore) => AiopCore> = [
    (core) => core,
    (core) => mapSteps(core, 'dag.steps.sample', (step) => without(step, 'sample')),
    (core) => mapSteps(core, 'dag.steps.config', (step) => without(without(step, 'config'), 'schema')),
    (core) => mapSteps(core, 'dag.steps.evidence', (step) => ({ ...step, evidence: [] })),
    (core) => keepSteps(core, maxBytes, redact),
  ];
  let core = full;
  let last: { core: AiopCore; json: string } | undefined;
  for (const shape of shapes) {
    core = shape(core);
    const fitted = fitEvidence(core, ranked, maxBytes, redact);
    last = fitted;
    if (Buffer.byteLength(fitted.json) <= maxBytes) return fitted;
  }
  return last ?? { core: full, json };
}

function without<T extends object>(value: T, key: keyof T): T {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

function mapSteps(core: AiopCore, section: string, change: (step: AiopStep) => AiopStep): AiopCore {
  const total = core.dag.steps.length;
  return {
    ...core,
    dag: { ...core.dag, steps: core.dag.steps.map(change) },
    truncated: [...core.truncated, marker(section, 0, total, STEPS_ANNEX)],
  };
}

/** The evidence kept: the most important items that fit, listed in time order again. */
function fitEvidence(
  core: AiopCore,
  ranked: Array<{ item: Evidence; position: number }>,
  maxBytes: number,
  redact: (text: string) => string,
): { core: AiopCore; json: string } {
  const total = ranked.length;
  const attempt = (kept: number) => {
    const chosen = ranked
      .slice(0, kept)
      .sort((left, right) => left.position - right.position)
      .map((entry) => entry.item);
    const candidate: AiopCore = {
      ...core,
      evidence: chosen,
      truncated:
        kept < total ? [...core.truncated, marker('evidence', kept, total, EVIDENCE_ANNEX)] : core.truncated,
    };
    return { core: candidate, json: serialize(candidate, redact) };
  };
  let best = attempt(0);
  if (Buffer.byteLength(best.json) > maxBytes) return best;
  let low = 0;
  let high = total;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const tried = attempt(middle);
    if (Buffer.byteLength(tried.json) <= maxBytes) {
      low = middle;
      best = tried;
    } else high = middle - 1;
  }
  return best;
}

/** Failed steps first, then the others in plan order, as many as fit without evidence. */
function keepSteps(core: AiopCore, maxBytes: number, redact: (text: string) => string): AiopCore {
  const steps = core.dag.steps;
  const order = [
    ...steps.filter((step) => step.status === 'failed'),
    ...steps.filter((step) => step.status !== 'failed'),
  ];
  const attempt = (kept: number): AiopCore => {
    const chosen = new Set(order.slice(0, kept));
    return {
      ...core,
      dag: { ...core.dag, steps: steps.filter((step) => chosen.has(step)) },
      evidence: [],
      truncated: [...core.truncated, marker('dag.steps', kept, steps.length, STEPS_ANNEX)],
    };
  };
  let low = 0;
  let high = steps.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(serialize(attempt(middle), redact)) <= maxBytes) low = middle;
    else high = middle - 1;
  }
  return attempt(low);
}
