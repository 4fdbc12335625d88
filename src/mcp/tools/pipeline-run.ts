import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { compileProjectPipeline, writeTargets } from '../compile-project-pipeline.js';
import { defineTool } from '../osiris-tool.js';
import { approveRun } from '../run-approval.js';
import { summarizeRunStatus } from '../run-summary.js';
import { paramsArgument, profileArgument } from './oml-input.js';

export const pipelineRunTool = defineTool({
  name: 'pipeline_run',
  title: 'Run a pipeline',
  description:
    'Compile and run a saved pipeline in this project, and return the run summary (status, rows per ' +
    'step, errors with hints). A pipeline with write steps changes files or tables, so it only runs with ' +
    'approved: true, which you may set ONLY after the human explicitly approved running this pipeline ' +
    'in the conversation; without it the call is refused and lists what would be written. Never set ' +
    'approved on your own judgement. When the client supports it, the server then asks the human ' +
    'directly to confirm; if they decline, nothing runs.',
  input: z.strictObject({
    pipeline: z
      .string()
      .min(1)
      .describe('a saved pipeline: name ("movie-ratings") or path inside the project'),
    approved: z
      .boolean()
      .optional()
      .describe('true only when the human has explicitly approved this run in the conversation'),
    params: paramsArgument,
    profile: profileArgument,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async run(args, call) {
    const { context, signal, progress } = call;
    const { buildDir, compiled } = await compileProjectPipeline(context, args);
    const pipeline = compiled.manifest.pipeline.name;
    const approval = await approveRun(call, pipeline, writeTargets(compiled), args.approved);
    const { runTarget } = await import('../../runtime/run-target.js');
    const { createProjectRegistry } = await import('../../composition/builtins.js');
    let notifications = 0;
    const result = await runTarget({
      registryFor: createProjectRegistry,
      target: buildDir,
      cwd: context.projectDir,
      env: context.env,
      signal,
      onEvent: (event) => {
        if (event.event !== 'step_start' && event.event !== 'step_complete') return;
        notifications += 1;
        const message = `${event.step_id ?? ''} ${event.event === 'step_start' ? 'started' : `done (${String(event.rows ?? 0)} rows)`}`;
        void progress(notifications, message);
      },
    });
    if (result.kind !== 'run') {
      throw new OsirisError(ErrorCodes.INTERNAL, 'the runner returned a dry run for a real run');
    }
    const summary = summarizeRunStatus(result.status, context.projectDir);
    if (result.status.status !== 'success') {
      const error = result.status.error;
      throw new OsirisError(
        result.status.status === 'cancelled' ? ErrorCodes.CANCELLED : ErrorCodes.STEP_FAILED,
        `Run ${result.status.run_id} ${result.status.status}: ${error?.message ?? 'see the run summary'}`,
        {
          hint: error?.hint ?? `read the details with run_show { "run_id": "${result.status.run_id}" }`,
          details: { run: summary },
        },
      );
    }
    return approval ? { ...summary, approval } : summary;
  },
});
