import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { compileProjectPipeline, writeTargets } from '../compile-project-pipeline.js';
import { defineTool } from '../osiris-tool.js';
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
    'approved on your own judgement.',
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
  async run(args, { context, signal, progress }) {
    const { buildDir, compiled } = await compileProjectPipeline(context, args);
    const writes = writeTargets(compiled);
    if (writes.length > 0 && args.approved !== true) {
      const targets = writes.map(
        (write) => `${write.step} → ${write.path ?? write.table ?? write.component}`,
      );
      throw new OsirisError(
        ErrorCodes.APPROVAL_REQUIRED,
        `Not run: pipeline ${compiled.manifest.pipeline.name} writes data (${targets.join('; ')}) and needs the user's approval.`,
        {
          hint:
            'Show the user what the pipeline reads and writes and ask whether to run it. Only after they ' +
            'explicitly say yes, call pipeline_run again with approved: true.',
          details: { pipeline: compiled.manifest.pipeline.name, writes },
        },
      );
    }
    const { runTarget } = await import('../../runtime/run-target.js');
    let notifications = 0;
    const result = await runTarget({
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
    return summary;
  },
});
