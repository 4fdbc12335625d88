import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compilePipeline, loadCompiled, readLastCompile } from '../compiler/index.js';
import {
  type ConnectionsConfig,
  loadConnections,
  resolveConnection,
  selectConnection,
} from '../connections/index.js';
import { findProjectDir, findProjectDirFor } from '../project/find-project-dir.js';
import type { Registry } from '../registry/registry.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { RunEvent, RunStatusFile } from '../spec/events.js';
import type { Manifest } from '../spec/manifest.js';
import type { ExecutionAdapter } from './adapters/adapter.js';
import { runPipeline } from './runner.js';

export interface RunTargetOptions {
  /** The components a project's pipelines may use: the built-ins plus the project's own. */
  registryFor(projectDir: string): Registry;
  /** An OML file (compiled first) or a build dir holding manifest.yaml. */
  target?: string;
  lastCompile?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  params?: Record<string, string>;
  profile?: string;
  dryRun?: boolean;
  adapter?: ExecutionAdapter;
  signal?: AbortSignal;
  onCompiled?(info: { buildDir: string; manifest: Manifest; warnings: Diagnostic[] }): void;
  onEvent?(event: RunEvent): void;
  onProgress?(stepId: string, rows: number, totalRows?: number): void;
  /** `false` keeps rows out of the run's artifacts (`osiris run --no-samples`). */
  samples?: boolean;
  /** `osiris run --select STEP[+]` / `--from STEP`: the steps to run. */
  select?: string[];
  /** `osiris run --skip-checks`: run without the data checks (recorded in the run). */
  skipChecks?: boolean;
  /** `osiris run --full-refresh`: incremental extractors read everything, then store the new state. */
  fullRefresh?: boolean;
  /** The project's connections, once loaded (the CLI warns about plain-text secrets in them). */
  onConnections?(connections: ConnectionsConfig): void | Promise<void>;
}

export type RunTargetResult =
  | { kind: 'dry-run'; buildDir: string; manifest: Manifest; connections: string[] }
  | { kind: 'run'; buildDir: string; status: RunStatusFile; projectDir: string; manifest: Manifest };

/** `osiris run` as a library call: pick or compile the build, then run it (or stop at --dry-run). */
export async function runTarget(options: RunTargetOptions): Promise<RunTargetResult> {
  // The project is the pipeline's (or build dir's), whatever folder the command runs from.
  const projectDir = options.lastCompile
    ? findProjectDir(options.cwd, options.env)
    : findProjectDirFor(options.target ?? '.', options.cwd, options.env);
  const registry = options.registryFor(projectDir);
  const connections = loadConnections({ cwd: projectDir, env: options.env, projectFound: true });
  await options.onConnections?.(connections);
  const { buildDir, warnings } = await selectBuild(options, projectDir, registry);
  const compiled = await loadCompiled(buildDir);
  options.onCompiled?.({ buildDir, manifest: compiled.manifest, warnings });

  // Resolving every connection proves the variables are set, without touching any data: a missing
  // one is invalid input (exit 2) reported before any step runs, not a step failure after the
  // sources have been read. The adapter checks what it needs the same way (E2B_API_KEY).
  const refs = [
    ...new Set(
      compiled.manifest.steps
        .map((s) => compiled.cfg[s.id]?.connection ?? s.connection)
        .filter((r): r is string => typeof r === 'string'),
    ),
  ].sort();
  for (const ref of refs) resolveConnection(selectConnection(connections, ref), connections.env);
  await options.adapter?.preflight?.({ projectDir });
  if (options.dryRun) {
    return { kind: 'dry-run', buildDir, manifest: compiled.manifest, connections: refs };
  }

  const status = await runPipeline({
    buildDir,
    projectDir,
    registry,
    connections,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.samples === false ? { samples: false } : {}),
    ...(options.select?.length ? { select: options.select } : {}),
    ...(options.skipChecks ? { skipChecks: true } : {}),
    ...(options.fullRefresh ? { fullRefresh: true } : {}),
  });
  return { kind: 'run', buildDir, status, projectDir, manifest: compiled.manifest };
}

async function selectBuild(
  options: RunTargetOptions,
  projectDir: string,
  registry: Registry,
): Promise<{ buildDir: string; warnings: Diagnostic[] }> {
  if (options.lastCompile) {
    if (options.target) {
      throw new OsirisError(
        ErrorCodes.USAGE,
        'Give either a pipeline file/build dir or --last-compile, not both.',
      );
    }
    return { buildDir: await readLastCompile(projectDir), warnings: [] };
  }
  if (!options.target) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      'Which pipeline? Give an OML file, a build dir, or --last-compile.',
      {
        hint: 'Example: osiris run pipelines/movies.yaml',
      },
    );
  }
  const target = resolve(options.cwd, options.target);
  const info = await stat(target).catch(() => undefined);
  if (!info) {
    throw new OsirisError(ErrorCodes.FILE_NOT_FOUND, `No such file or directory: ${options.target}`, {
      hint: 'Give the path to an OML file (pipelines/x.yaml) or to a build dir containing manifest.yaml.',
    });
  }
  if (info.isDirectory()) return { buildDir: target, warnings: [] };
  const result = await compilePipeline({
    file: target,
    displayFile: options.target,
    projectDir,
    registry,
    env: options.env,
    ...(options.params ? { params: options.params } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  if (!result.ok || !result.buildDir) {
    // The diagnostics themselves are the message (file:line:col, code, hint), as in `osiris validate`.
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    throw new OsirisError(
      ErrorCodes.INVALID_OML,
      `${options.target} is not a valid pipeline: ${errors.length} error${errors.length === 1 ? '' : 's'}` +
        (first ? ` (first: ${first.code} ${first.message})` : ''),
      {
        hint: `Fix the problems listed above (nothing was read or written), then \`osiris validate ${options.target}\` checks again.`,
        details: { diagnostics: result.diagnostics },
      },
    );
  }
  return { buildDir: result.buildDir, warnings: result.diagnostics.filter((d) => d.severity === 'warning') };
}
