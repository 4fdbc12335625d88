import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compilePipeline, loadCompiled, readLastCompile } from '../compiler/index.js';
import { loadConnections, resolveConnection, selectConnection } from '../connections/index.js';
import { findProjectDir } from '../project/find-project-dir.js';
import { createDefaultRegistry } from '../registry/default-registry.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { RunEvent, RunStatusFile } from '../spec/events.js';
import type { Manifest } from '../spec/manifest.js';
import type { ExecutionAdapter } from './adapters/adapter.js';
import { runPipeline } from './runner.js';

export interface RunTargetOptions {
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
  onProgress?(stepId: string, rows: number): void;
}

export type RunTargetResult =
  | { kind: 'dry-run'; buildDir: string; manifest: Manifest; connections: string[] }
  | { kind: 'run'; buildDir: string; status: RunStatusFile; projectDir: string };

/** `osiris run` as a library call: pick or compile the build, then run it (or stop at --dry-run). */
export async function runTarget(options: RunTargetOptions): Promise<RunTargetResult> {
  const projectDir = findProjectDir(options.cwd, options.env);
  const registry = createDefaultRegistry();
  const connections = loadConnections({ cwd: projectDir, env: options.env });
  const { buildDir, warnings } = await selectBuild(options, projectDir, registry);
  const compiled = await loadCompiled(buildDir);
  options.onCompiled?.({ buildDir, manifest: compiled.manifest, warnings });

  if (options.dryRun) {
    // Resolving every connection proves the variables are set, without touching any data.
    const refs = [
      ...new Set(
        compiled.manifest.steps
          .map((s) => compiled.cfg[s.id]?.connection ?? s.connection)
          .filter((r): r is string => typeof r === 'string'),
      ),
    ].sort();
    for (const ref of refs) resolveConnection(selectConnection(connections, ref), connections.env);
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
  });
  return { kind: 'run', buildDir, status, projectDir };
}

async function selectBuild(
  options: RunTargetOptions,
  projectDir: string,
  registry: ReturnType<typeof createDefaultRegistry>,
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
    projectDir,
    registry,
    env: options.env,
    ...(options.params ? { params: options.params } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
  if (!result.ok || !result.buildDir) {
    throw new OsirisError(ErrorCodes.INVALID_OML, `${options.target} is not a valid pipeline.`, {
      hint: `Run \`osiris validate ${options.target}\` to see every problem.`,
      details: { diagnostics: result.diagnostics },
    });
  }
  return { buildDir: result.buildDir, warnings: result.diagnostics.filter((d) => d.severity === 'warning') };
}
