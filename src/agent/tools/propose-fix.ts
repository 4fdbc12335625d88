import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { defineAgentTool } from './agent-tool.js';
import { findPipelineFile, readRunPackage } from './run-evidence.js';

export const proposeFixTool = defineAgentTool({
  name: 'propose_fix',
  description:
    'Propose a new revision of the pipeline a run used, to fix the cause of its failure when that cause is ' +
    'in the pipeline (a renamed column, a wrong table, a type the writer refused, a failing check). Give the ' +
    'complete corrected OML with the same name. It is validated first and shown as a diff against the ' +
    'current file; it replaces the file and runs only after the user approves. Never use it when the cause ' +
    'is outside the pipeline (server down, credentials, disk): say so and suggest the check command instead.',
  inputSchema: z.object({
    run_id: z.string().min(1).optional().describe('the failed run; omit for the latest run'),
    oml: z.string().min(1).describe('the complete corrected OML YAML document'),
    summary: z.string().optional().describe('one or two sentences: the cause and what the fix changes'),
  }),
  state: 'OML_SYNTHESIS',
  label: () => 'proposing fix',
  run: async (input, context) => {
    const core = await readRunPackage(context, input.run_id);
    const pipeline = await findPipelineFile(context.projectDir, core.run.pipeline);
    if (!pipeline) {
      throw new OsirisError(
        ErrorCodes.FILE_NOT_FOUND,
        `No file under pipelines/ declares name: ${core.run.pipeline}, so there is nothing to revise.`,
        { hint: 'propose the pipeline with propose_pipeline instead' },
      );
    }
    const result = context.proposals.proposeFix(input.oml, input.summary, {
      file: pipeline.file,
      currentOml: pipeline.oml,
      runId: core.run.run_id,
    });
    const summary =
      result.status === 'awaiting_approval'
        ? `${result.pipeline}: fix for ${pipeline.file} (awaiting approval)`
        : `invalid: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`;
    return { result, summary, ok: result.status === 'awaiting_approval' };
  },
});
