import { fileURLToPath } from 'node:url';
import { readDotenv } from '../../../connections/index.js';
import { CancelledError, ErrorCodes, isOsirisError, OsirisError } from '../../../spec/errors.js';
import { concurrencyFor } from '../../commit-barrier.js';
import { DEFAULT_CONCURRENCY } from '../../engine.js';
import type { EngineResult, EngineSink } from '../../engine-types.js';
import { WORKER_CONNECTIONS_ENV } from '../../worker/protocol.js';
import { resolveWorkerConnections, runStepsOnWorker } from '../../worker/run-steps-on-worker.js';
import { WorkerClient } from '../../worker/worker-client.js';
import type { ExecutionAdapter, PrepareInput } from '../adapter.js';
import { createE2bSandboxApi } from './e2b-sandbox-api.js';
import { LocalPaths } from './local-paths.js';
import { projectInputFiles } from './project-input-files.js';
import { bringResultsHome } from './results-archive.js';
import type { RemoteSandbox, SandboxApi } from './sandbox-api.js';
import { installWorkerBundle, probeSandbox, runDirOf, uploadInputs } from './sandbox-setup.js';
import { SandboxWorkerTransport } from './sandbox-worker-transport.js';
import { shellQuote } from './shell-quote.js';
import {
  defaultBundleCacheDir,
  prepareWorkerBundle,
  WORKER_ENTRY,
  type WorkerBundle,
} from './worker-bundle.js';

export interface E2bAdapterOptions {
  /** The sandbox provider; the real E2B service unless a test passes a fake. */
  api?: SandboxApi;
  /** Where `E2B_API_KEY` is looked up (then in the project's .env). Defaults to process.env. */
  env?: Record<string, string | undefined>;
  template?: string;
  /** The sandbox's lifetime: E2B destroys it after this, whatever happens here. Default 15 min. */
  timeoutMs?: number;
  /** Minimum CPUs / memory the run needs. E2B fixes both per template, so they are checked, not set. */
  cpuCount?: number;
  memoryMB?: number;
  concurrency?: number;
  /** Cancels a run still preparing (execute gets the runner's signal as usual). */
  signal?: AbortSignal;
  /** Local cache of packed worker bundles. */
  cacheDir?: string;
  /** The osiris-etl installation whose dist/ and node_modules make the bundle. */
  packageRoot?: string;
  /** Progress and warnings that are not run events (events must match every other adapter). */
  report?: (message: string, level: 'info' | 'warning') => void;
}

interface E2bPrepared {
  input: PrepareInput;
  sandbox: RemoteSandbox;
  worker: WorkerClient;
  runDir: string;
  /** Project-relative paths the steps reported as written. */
  outputs: Set<string>;
  /** The sandbox worker's data-plane settings, reported when the run executes. */
  settings: Record<string, string>;
}

export const DEFAULT_E2B_TIMEOUT_MS = 15 * 60_000;
/** After Ctrl-C the worker gets this long to stop its step before the sandbox is destroyed under it. */
const CANCEL_GRACE_MS = 10_000;

/**
 * Runs the pipeline in an E2B sandbox through the same proxy worker, protocol and DAG scheduler
 * as the subprocess adapter; only the transport differs. Secrets travel solely as an environment
 * variable of the worker process. The sandbox is killed in every outcome: success, failure,
 * cancellation, and an error while preparing.
 */
export function createE2bAdapter(options: E2bAdapterOptions = {}): ExecutionAdapter<E2bPrepared> {
  const api = options.api ?? createE2bSandboxApi();
  const report = options.report ?? reportWarningsToStderr;
  const info = (message: string) => report(message, 'info');
  return {
    name: 'e2b',
    preflight(input) {
      findApiKey(options.env ?? process.env, input.projectDir);
    },
    async prepare(input) {
      const apiKey = findApiKey(options.env ?? process.env, input.projectDir);
      const connections = resolveWorkerConnections(input.compiled, input.resolveConnection);
      const inputs = await projectInputFiles(input.compiled, connections, input.projectDir);
      for (const path of inputs.refused) {
        report(`not uploading ${path}: it links to a file outside the project`, 'warning');
      }
      throwIfAborted(options.signal);
      // The sandbox boots while the bundle is packed (seconds on first use, a quick check after),
      // and a bad key or an unreachable service shows before any packing is waited for.
      const creating = createSandbox(api, {
        apiKey,
        ...(options.template ? { template: options.template } : {}),
        timeoutMs: options.timeoutMs ?? DEFAULT_E2B_TIMEOUT_MS,
        metadata: { app: 'osiris', run_id: input.runId, pipeline: input.compiled.manifest.pipeline.name },
      });
      // Awaited below; this only stops an early rejection from counting as unhandled meanwhile.
      creating.catch(() => undefined);
      let bundle: WorkerBundle;
      try {
        bundle = await prepareWorkerBundle({
          packageRoot: options.packageRoot ?? defaultPackageRoot(),
          cacheDir: options.cacheDir ?? defaultBundleCacheDir(options.env ?? process.env),
        });
      } catch (error) {
        const created = await creating.catch(() => undefined);
        if (created) await killSandbox(created, report);
        throw error;
      }
      const sandbox = await creating;
      const killOnAbort = () => void killSandbox(sandbox, report);
      options.signal?.addEventListener('abort', killOnAbort, { once: true });
      try {
        throwIfAborted(options.signal);
        info(`sandbox ${sandbox.id} created`);
        await checkResources(sandbox, options);
        const facts = await probeSandbox(sandbox, bundle.version, input.runId);
        const workerDir = await installWorkerBundle(sandbox, facts, bundle, info);
        const runDir = runDirOf(facts.home, input.runId);
        await uploadInputs(sandbox, `${runDir}/project`, inputs.files);
        throwIfAborted(options.signal);
        const transport = await SandboxWorkerTransport.start(
          sandbox,
          `node ${shellQuote(`${workerDir}/${WORKER_ENTRY}`)}`,
          {
            cwd: runDir,
            envs: { [WORKER_CONNECTIONS_ENV]: JSON.stringify(connections) },
          },
        );
        const worker = new WorkerClient(transport);
        await worker.request({ type: 'ping' });
        const { settings } = await worker.request({
          type: 'prepare',
          run_id: input.runId,
          project_dir: `${runDir}/project`,
          manifest: input.compiled.manifest as unknown as Record<string, unknown>,
          cfg: input.compiled.cfg,
          ...(input.artifacts ? { artifacts: { samples: input.artifacts.samples } } : {}),
          ...(input.incremental ? { incremental: input.incremental } : {}),
        });
        throwIfAborted(options.signal);
        return { input, sandbox, worker, runDir, outputs: new Set(), settings };
      } catch (error) {
        await killSandbox(sandbox, report);
        if (options.signal?.aborted) throw cancelled();
        throw isOsirisError(error) ? error : setupFailed(sandbox, error);
      } finally {
        options.signal?.removeEventListener('abort', killOnAbort);
      }
    },

    async execute(prepared, context) {
      const { worker, input, sandbox } = prepared;
      context.sink.event('debug', { message: 'data plane settings', ...prepared.settings });
      let graceTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        graceTimer = setTimeout(() => void killSandbox(sandbox, report), CANCEL_GRACE_MS);
      };
      context.signal.addEventListener('abort', onAbort, { once: true });
      const localPaths = new LocalPaths([
        [`${prepared.runDir}/project`, input.projectDir],
        [`${prepared.runDir}/artifacts`, input.artifactsDir],
      ]);
      let result: EngineResult;
      try {
        const reported = await runStepsOnWorker({
          worker,
          compiled: input.compiled,
          concurrency: concurrencyFor(input.compiled.manifest, options.concurrency ?? DEFAULT_CONCURRENCY),
          signal: context.signal,
          sink: recordingOutputs(localPaths.sink(context.sink), prepared.outputs),
        });
        result = localPaths.result(reported);
      } finally {
        context.signal.removeEventListener('abort', onAbort);
        clearTimeout(graceTimer);
      }
      // A cancelled run stops now: collect destroys the sandbox without downloading anything.
      if (context.signal.aborted) return result;
      try {
        if (worker.running) {
          await worker.request({ type: 'cleanup' });
          await worker.stop();
        }
        const { skipped } = await bringResultsHome(sandbox, prepared.runDir, prepared.outputs, {
          projectDir: input.projectDir,
          artifactsDir: input.artifactsDir,
        });
        for (const path of skipped)
          report(`skipped ${path} from the sandbox: not a regular file at an expected place`, 'warning');
        return result;
      } catch (error) {
        return withDownloadFailure(result, error, report);
      }
    },

    async collect(prepared) {
      prepared.worker.kill();
      await killSandbox(prepared.sandbox, report);
      info(`sandbox ${prepared.sandbox.id} killed`);
    },
  };
}

function findApiKey(env: Record<string, string | undefined>, projectDir: string): string {
  const key = env.E2B_API_KEY || readDotenv(projectDir).E2B_API_KEY;
  if (key) return key;
  throw new OsirisError(
    ErrorCodes.ADAPTER_UNAVAILABLE,
    'The e2b adapter needs an E2B API key, and E2B_API_KEY is not set.',
    {
      hint: 'Create a key at https://e2b.dev/dashboard, then `export E2B_API_KEY=e2b_…` or add E2B_API_KEY to the project .env. To run without E2B, use --adapter local or --adapter subprocess.',
    },
  );
}

async function createSandbox(
  api: SandboxApi,
  settings: Parameters<SandboxApi['create']>[0],
): Promise<RemoteSandbox> {
  try {
    return await api.create(settings);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      name === 'AuthenticationError'
        ? 'E2B rejected the API key: check E2B_API_KEY.'
        : name === 'NotFoundError' || name === 'TemplateError'
          ? `Check the template name (--e2b-template ${settings.template ?? ''}).`
          : 'Check the network connection to E2B and your E2B account limits, then retry.';
    throw new OsirisError(ErrorCodes.ADAPTER_UNAVAILABLE, `Could not create an E2B sandbox: ${reason}`, {
      hint,
      retryable: name !== 'AuthenticationError',
      cause: error,
    });
  }
}

async function checkResources(sandbox: RemoteSandbox, options: E2bAdapterOptions): Promise<void> {
  if (options.cpuCount === undefined && options.memoryMB === undefined) return;
  const actual = await sandbox.resources();
  const cpuShort = options.cpuCount !== undefined && actual.cpuCount < options.cpuCount;
  const memoryShort = options.memoryMB !== undefined && actual.memoryMB < options.memoryMB;
  if (!cpuShort && !memoryShort) return;
  throw new OsirisError(
    ErrorCodes.ADAPTER_UNAVAILABLE,
    `The E2B sandbox has ${actual.cpuCount} CPUs and ${actual.memoryMB} MB of memory, less than the ${options.cpuCount ?? actual.cpuCount} CPUs and ${options.memoryMB ?? actual.memoryMB} MB asked for.`,
    {
      hint: 'E2B sets CPU and memory per template: build a template with the resources you need (cpuCount, memoryMB) and pass it with --e2b-template.',
      details: { cpu_count: actual.cpuCount, memory_mb: actual.memoryMB },
    },
  );
}

/** A failed kill leaves the sandbox to E2B's own timeout; say so instead of failing the run. */
async function killSandbox(
  sandbox: RemoteSandbox,
  report: NonNullable<E2bAdapterOptions['report']>,
): Promise<void> {
  try {
    await sandbox.kill();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    report(
      `could not kill sandbox ${sandbox.id} (${reason}); E2B destroys it when its timeout ends`,
      'warning',
    );
  }
}

/** Notes every output a step reports, so the download takes exactly those files. */
function recordingOutputs(sink: EngineSink, outputs: Set<string>): EngineSink {
  return {
    ...sink,
    event(name, fields) {
      if (name === 'output_written' && typeof fields?.path === 'string') outputs.add(fields.path);
      sink.event(name, fields);
    },
  };
}

/** Outputs that never arrived make a successful run a failed one; a failed run keeps its first error. */
function withDownloadFailure(
  result: EngineResult,
  error: unknown,
  report: NonNullable<E2bAdapterOptions['report']>,
): EngineResult {
  const failure = isOsirisError(error)
    ? error
    : new OsirisError(ErrorCodes.ADAPTER_UNAVAILABLE, `Bringing the results home failed: ${String(error)}`);
  if (result.status !== 'success') {
    report(`the results of this ${result.status} run could not be downloaded: ${failure.message}`, 'warning');
    return result;
  }
  return {
    ...result,
    status: 'failed',
    error: { code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) },
  };
}

/** A sandbox call that failed outright (an upload cut off, the sandbox gone) while preparing. */
function setupFailed(sandbox: RemoteSandbox, error: unknown): OsirisError {
  const reason = error instanceof Error ? error.message : String(error);
  return new OsirisError(
    ErrorCodes.ADAPTER_UNAVAILABLE,
    `Setting up E2B sandbox ${sandbox.id} failed: ${reason}`,
    {
      hint: 'Check the network connection to E2B and retry; rerun with --verbose for the steps taken.',
      retryable: true,
      cause: error,
    },
  );
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

function cancelled(): OsirisError {
  return new CancelledError('The run was cancelled.');
}

function reportWarningsToStderr(message: string, level: 'info' | 'warning'): void {
  if (level === 'warning') process.stderr.write(`warning: [e2b] ${message}\n`);
}

/** The osiris-etl folder: four levels up from this module, in src/ and in dist/ alike. */
function defaultPackageRoot(): string {
  return fileURLToPath(new URL('../../../../', import.meta.url));
}
