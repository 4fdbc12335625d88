import type { CompileResult } from '../compiler/index.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { CompiledPipeline } from '../spec/manifest.js';
import type { McpContext } from './mcp-context.js';
import { existingPipelineFile } from './pipeline-files.js';

export interface CompiledProjectPipeline {
  /** The OML file, relative to the project. */
  file: string;
  /** The build folder, absolute. */
  buildDir: string;
  compiled: CompiledPipeline;
  warnings: Diagnostic[];
}

/** Compile a project pipeline into build/<name>; invalid OML is E_INVALID_OML with every diagnostic. */
export async function compileProjectPipeline(
  context: McpContext,
  args: { pipeline: string; params?: Record<string, string> | undefined; profile?: string | undefined },
): Promise<CompiledProjectPipeline> {
  const file = await existingPipelineFile(context.projectDir, args.pipeline);
  const { compilePipeline, loadCompiled } = await import('../compiler/index.js');
  const { createProjectRegistry } = await import('../composition/builtins.js');
  const result: CompileResult = await compilePipeline({
    file: file.absolute,
    projectDir: context.projectDir,
    registry: createProjectRegistry(context.projectDir),
    env: context.env,
    ...(args.params ? { params: args.params } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
  });
  // Diagnostics name the file as the model knows it, not by this machine's absolute path.
  const diagnostics = result.diagnostics.map((diagnostic) =>
    diagnostic.file === file.absolute ? { ...diagnostic, file: file.relative } : diagnostic,
  );
  if (!result.ok || !result.buildDir) {
    throw new OsirisError(
      ErrorCodes.INVALID_OML,
      `${file.relative} is not a valid pipeline; nothing was compiled.`,
      {
        hint: 'fix every diagnostic (each has a hint), check with oml_validate, save, then compile again',
        details: { diagnostics },
      },
    );
  }
  return {
    file: file.relative,
    buildDir: result.buildDir,
    compiled: await loadCompiled(result.buildDir),
    warnings: diagnostics.filter((diagnostic) => diagnostic.severity === 'warning'),
  };
}

export interface WriteTarget {
  step: string;
  component: string;
  /** What the step writes to: a file path, a table, and the connection it goes through. */
  path?: string;
  table?: string;
  connection?: string;
  write_mode?: string;
}

/** Every write step of a compiled pipeline and where it writes: what the human must approve. */
export function writeTargets(compiled: CompiledPipeline): WriteTarget[] {
  return compiled.manifest.steps
    .filter((step) => step.mode === 'write')
    .map((step) => {
      const config = compiled.cfg[step.id] ?? {};
      const target: WriteTarget = { step: step.id, component: step.component };
      for (const key of ['path', 'table', 'connection', 'write_mode'] as const) {
        const value = config[key] ?? (key === 'connection' ? step.connection : undefined);
        if (typeof value === 'string') target[key] = value;
      }
      return target;
    });
}
