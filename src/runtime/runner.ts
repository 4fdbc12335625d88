import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadCompiled } from '../compiler/index.js';
import {
  type ConnectionsConfig,
  isSecretField,
  resolveConnection,
  selectConnection,
} from '../connections/index.js';
import { markCrashedRuns, removeCrashedRunLeftovers } from '../observability/logs/crashed-runs.js';
import { runsDirOf } from '../observability/logs/runs-paths.js';
import { Redactor, secretValuesFromEnv } from '../observability/redaction.js';
import { newRunId } from '../observability/run-id.js';
import { RunIndex } from '../observability/run-index.js';
import { RunSession } from '../observability/run-session.js';
import type { Registry } from '../registry/registry.js';
import type { ResolvedConnection } from '../spec/connection.js';
import type { RunEvent, RunStatusFile } from '../spec/events.js';
import type { CompiledPipeline } from '../spec/manifest.js';
import { currentProcess } from '../util/process-identity.js';
import type { ExecutionAdapter } from './adapters/adapter.js';
import { createLocalAdapter } from './adapters/local.js';
import { countChecks, withCheckBaselines, withoutChecks } from './checks/check-baselines.js';
import type { EngineResult } from './engine-types.js';
import { recordRunOnForcedExit } from './forced-exit-record.js';
import { selectSteps } from './select-steps.js';
import { failIfStalled, runStalledError } from './stall-guard.js';
import { openRunState, type RunState } from './state/run-state.js';

export interface RunPipelineOptions {
  buildDir: string;
  projectDir: string;
  registry: Registry;
  connections: ConnectionsConfig;
  adapter?: ExecutionAdapter;
  signal?: AbortSignal;
  /** Defaults to `<projectDir>/.osiris/runs`. */
  runsDir?: string;
  onEvent?(event: RunEvent): void;
  onProgress?(stepId: string, rows: number, totalRows?: number): void;
  /** Keep a redacted 10-row sample of each step's output in its artifacts (default true). */
  samples?: boolean;
  /** Run only these steps and what they need (`STEP`), or also what follows (`STEP+`). */
  select?: string[];
  /** `osiris run --skip-checks`: run without the pipeline's data checks (recorded in the run). */
  skipChecks?: boolean;
  /** `osiris run --full-refresh`: incremental extractors ignore their stored state this run. */
  fullRefresh?: boolean;
}

/**
 * Runs a compiled pipeline and records the run session. Never throws for a failing step: the
 * returned status says how the run ended; it throws only when the session itself cannot start.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunStatusFile> {
  const loaded = await loadCompiled(options.buildDir);
  const selected = options.select?.length ? selectSteps(loaded, options.select) : loaded;
  const declaredChecks = countChecks(selected);
  // Without --skip-checks, row_count checks that compare with earlier runs get their baseline here.
  const compiled = options.skipChecks
    ? withoutChecks(selected)
    : await withCheckBaselines(
        selected,
        options.runsDir ?? runsDirOf(options.projectDir),
        options.projectDir,
      );
  const runsDir = options.runsDir ?? runsDirOf(options.projectDir);
  const adapter = options.adapter ?? createLocalAdapter();
  const signal = options.signal ?? new AbortController().signal;
  const runId = newRunId();
  const env = options.connections.env;
  const redactor = new Redactor([...secretValuesFromEnv(env), ...knownSecrets(compiled, options)]);

  const session = await RunSession.create({ runId, runsDir, redactor, buildDir: options.buildDir });
  if (options.onEvent) session.onEvent(options.onEvent);
  const index = await RunIndex.open(join(runsDir, 'index.db'));
  const startedAt = new Date();
  const pipeline = compiled.manifest.pipeline.name;
  const status: RunStatusFile = {
    run_id: runId,
    pipeline,
    status: 'running',
    adapter: adapter.name,
    started_at: startedAt.toISOString(),
    total_rows: 0,
    steps: compiled.manifest.steps.map((s) => ({
      id: s.id,
      component: s.component,
      status: 'pending',
      rows: 0,
      duration_ms: 0,
    })),
    manifest_fp: compiled.manifest.fingerprints.manifest_fp,
    ...(options.skipChecks ? { skip_checks: true } : {}),
    session_dir: relative(options.projectDir, session.dir),
    // Lets a later command tell this run from one whose process died (issue 19: `crashed`).
    process: { ...currentProcess(), tmpdir: tmpdir() },
  };
  index.upsert(status);
  await session.writeStatus(status);
  // Until the run has recorded its own end, a second Ctrl-C (which exits at once) records it as
  // cancelled instead, so it never stays `running`.
  const forgetForcedExit = recordRunOnForcedExit({ status, sessionDir: session.dir, index, redactor });

  session.event('run_start', {
    pipeline,
    manifest_fp: status.manifest_fp,
    steps: compiled.manifest.steps.length,
    ...(options.skipChecks ? { skip_checks: true } : {}),
  });
  if (options.skipChecks && declaredChecks > 0) {
    session.event('warning', {
      message: `--skip-checks: the pipeline's ${declaredChecks} data check${declaredChecks === 1 ? '' : 's'} did not run`,
    });
  }
  session.event('adapter_selected', { adapter: adapter.name });
  await cleanUpAfterCrashedRuns(options.projectDir, index, session);

  let result: EngineResult;
  let prepared: unknown;
  let state: RunState | undefined;
  try {
    // Incremental windows come from the host's state; workers get them as input (never the store).
    state = await openRunState({
      compiled,
      registry: options.registry,
      projectDir: options.projectDir,
      ...(options.fullRefresh ? { fullRefresh: true } : {}),
      resolveConnection: (ref) => resolveFor(ref, options, env),
      event: (name, fields) => void session.event(name, fields),
    });
    prepared = await adapter.prepare({
      runId,
      compiled,
      registry: options.registry,
      projectDir: options.projectDir,
      artifactsDir: join(session.dir, 'artifacts'),
      resolveConnection: (ref) => resolveFor(ref, options, env),
      artifacts: { samples: options.samples !== false, redact: (value) => redactor.value(value) },
      ...(state ? { incremental: state.windows } : {}),
    });
    // The process must never end (exit 0) while the run is unfinished; see stall-guard.
    const execution = adapter.execute(prepared, {
      signal,
      sink: {
        event: (name, fields) => void session.event(name, fields),
        metric: (name, value, unit, stepId, tags) =>
          void session.metric({
            metric: name,
            value,
            unit,
            ...(stepId ? { step_id: stepId } : {}),
            ...(tags ? { tags } : {}),
          }),
        progress: (stepId, rows, totalRows) => options.onProgress?.(stepId, rows, totalRows),
      },
    });
    result = await failIfStalled(execution, runStalledError, { outer: true });
  } catch (error) {
    result = {
      status: signal.aborted ? 'cancelled' : 'failed',
      steps: status.steps,
      totalRows: 0,
      error: errorShape(error, signal),
    };
  }
  if (prepared !== undefined) {
    // Collecting (artifacts home, sandbox killed) must not leave the session unfinished: its
    // failure fails a run that had succeeded, and is recorded either way.
    try {
      await adapter.collect(prepared);
    } catch (error) {
      const shaped = errorShape(error, signal);
      session.event('warning', {
        message: `collecting the run's results failed: ${shaped.message}`,
        error_code: shaped.code,
      });
      if (result.status === 'success') result = { ...result, status: 'failed', error: shaped };
    }
  }

  if (state) {
    // Only now, with every writer done and the results home, may a cursor move.
    try {
      state.commit(runId, result);
    } catch (error) {
      const shaped = errorShape(error, signal);
      session.event('warning', { message: `storing the incremental state failed: ${shaped.message}` });
      if (result.status === 'success') result = { ...result, status: 'failed', error: shaped };
    } finally {
      state.close();
    }
  }

  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - startedAt.getTime();
  session.metric({ metric: 'peak_rss_bytes', value: process.resourceUsage().maxRSS * 1024, unit: 'bytes' });
  session.event('run_complete', {
    status: result.status,
    total_rows: result.totalRows,
    duration_ms: durationMs,
    ...(result.error ? { error_code: result.error.code } : {}),
  });
  Object.assign(status, {
    status: result.status,
    finished_at: finishedAt.toISOString(),
    duration_ms: durationMs,
    total_rows: result.totalRows,
    steps: result.steps,
    ...(result.error ? { error: result.error } : {}),
  });
  // From here the run records its own end; a forced exit now must not overwrite it.
  forgetForcedExit();
  await session.close();
  await session.writeStatus(status);
  index.upsert(status);
  index.close();
  return redactor.value(status) as RunStatusFile;
}

/**
 * Runs of this project whose process died are marked `crashed`, and what they left behind (temp
 * folder, hidden temp output files) is removed now and recorded in this run's events. Never fails
 * the run: what cannot be cleaned is said in a warning.
 */
async function cleanUpAfterCrashedRuns(projectDir: string, index: RunIndex, session: RunSession) {
  try {
    await markCrashedRuns(projectDir, index);
    for (const { run_id, removed } of await removeCrashedRunLeftovers(projectDir, index)) {
      session.event('crashed_run_leftovers_removed', { crashed_run_id: run_id, removed });
    }
  } catch (error) {
    session.event('warning', {
      message: `could not clean up after a crashed run: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

function resolveFor(
  ref: string,
  options: RunPipelineOptions,
  env: Record<string, string | undefined>,
): ResolvedConnection {
  return resolveConnection(selectConnection(options.connections, ref), env, {
    secretNames: secretNamesOf(options.registry),
  });
}

/** Secret field names declared by any component spec (`/password` → `password`). */
function secretNamesOf(registry: Registry): string[] {
  return [
    ...new Set(registry.list().flatMap((d) => d.spec.secrets.map((p) => p.split('/').pop() ?? ''))),
  ].filter(Boolean);
}

/**
 * Secret values of every connection the pipeline references, gathered before anything runs so
 * that even the first event is redacted. A connection that fails to resolve here fails its step
 * later with the real error; here it simply contributes no secrets.
 */
function knownSecrets(compiled: CompiledPipeline, options: RunPipelineOptions): string[] {
  const secrets: string[] = [];
  const extra = secretNamesOf(options.registry);
  for (const step of compiled.manifest.steps) {
    const ref = compiled.cfg[step.id]?.connection ?? step.connection;
    if (typeof ref !== 'string') continue;
    try {
      const connection = resolveFor(ref, options, options.connections.env);
      for (const [field, value] of Object.entries(connection.fields)) {
        if (
          typeof value === 'string' &&
          (connection.secretFields.includes(field) || isSecretField(field, extra))
        ) {
          secrets.push(value);
        }
      }
    } catch {
      // Reported by the step that uses the connection (see doc comment).
    }
  }
  return secrets;
}

function errorShape(error: unknown, signal: AbortSignal): NonNullable<EngineResult['error']> {
  if (signal.aborted) return { code: 'E_CANCELLED', message: 'The run was cancelled.' };
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as { code: unknown; message: unknown; hint?: unknown };
    if (typeof e.code === 'string' && e.code.startsWith('E_')) {
      return {
        code: e.code,
        message: String(e.message),
        ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
      };
    }
  }
  return { code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
