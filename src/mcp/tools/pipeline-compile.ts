import { z } from 'zod';
import { compileProjectPipeline, writeTargets } from '../compile-project-pipeline.js';
import { defineTool } from '../osiris-tool.js';
import { relativeToProject } from '../project-relative.js';
import { paramsArgument, profileArgument } from './oml-input.js';

export const pipelineCompileTool = defineTool({
  name: 'pipeline_compile',
  title: 'Compile a pipeline',
  description:
    'Compile a saved pipeline into a deterministic manifest under build/<name>/ (plan, per-step config, ' +
    'fingerprints); nothing is run and no data is touched. Returns the steps, the execution plan and ' +
    'what the write steps would write, so the user can review it before pipeline_run.',
  input: z.strictObject({
    pipeline: z
      .string()
      .min(1)
      .describe('a saved pipeline: name ("movie-ratings") or path inside the project'),
    params: paramsArgument,
    profile: profileArgument,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(args, { context }) {
    const { file, buildDir, compiled, warnings } = await compileProjectPipeline(context, args);
    const { manifest } = compiled;
    return {
      ok: true,
      pipeline: manifest.pipeline.name,
      file,
      build_dir: relativeToProject(context.projectDir, buildDir),
      steps: manifest.steps.map((step) => ({
        id: step.id,
        component: step.component,
        mode: step.mode,
        needs: step.needs,
        ...(step.connection ? { connection: step.connection } : {}),
      })),
      plan: manifest.plan,
      params: manifest.params,
      fingerprints: manifest.fingerprints,
      writes: writeTargets(compiled),
      warnings,
      next: 'show the user what the pipeline reads and writes; run it with pipeline_run only after they approve',
    };
  },
});
