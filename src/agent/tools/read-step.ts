import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { defineAgentTool } from './agent-tool.js';
import { readRunPackage } from './run-evidence.js';

/** Evidence items of one step the model gets. */
const STEP_EVIDENCE = 30;

export const readStepTool = defineAgentTool({
  name: 'read_step',
  description:
    'Read one step of a run: its error (code, message, hint, cause), redacted config, output columns and ' +
    'sample rows when recorded (not with --no-samples), warnings and its evidence ids.',
  inputSchema: z.object({
    run_id: z.string().min(1).optional().describe('the run id; omit for the latest run'),
    step: z.string().min(1).describe('the step id'),
  }),
  label: (input) => `reading step ${input.step}`,
  run: async (input, context) => {
    const core = await readRunPackage(context, input.run_id);
    const step = core.dag.steps.find((candidate) => candidate.id === input.step);
    if (!step) {
      throw new OsirisError(ErrorCodes.USAGE, `Run ${core.run.run_id} has no step '${input.step}'.`, {
        hint: `Its steps: ${core.dag.steps.map((candidate) => candidate.id).join(', ')}`,
      });
    }
    const error = core.errors.find((candidate) => candidate.step === step.id);
    const evidence = core.evidence
      .filter((item) => item.step === step.id && item.name !== 'step_progress' && item.name !== 'debug')
      .slice(0, STEP_EVIDENCE)
      .map((item) => ({ id: item.id, name: item.name, ...item.data }));
    return {
      result: {
        run_id: core.run.run_id,
        step,
        ...(error ? { error } : {}),
        evidence,
        ...(context.samples === false ? { note: 'Row samples are withheld (--no-samples).' } : {}),
      },
      summary: error ? `${step.status}: ${error.code}` : `${step.status}, ${step.rows} rows`,
    };
  },
});
