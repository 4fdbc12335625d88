import { z } from 'zod';
import { evidencePriority } from '../../observability/aiop/collect-evidence.js';
import { defineAgentTool } from './agent-tool.js';
import { findPipelineFile, readRunPackage } from './run-evidence.js';

/** Evidence items the model gets with a run: the important ones (failures, warnings, checks, state). */
const MODEL_EVIDENCE = 40;
/** Up to this many steps, every step's config goes to the model; beyond, only failed steps'. */
const FULL_STEPS = 20;

export const readRunTool = defineAgentTool({
  name: 'read_run',
  description:
    'Read the AI Operation Package of a run (the most recent one without run_id): status, steps with ' +
    'component, rows, duration and error, errors with code, hint and cause (cause.location "pipeline" ' +
    'means an OML fix; "environment" means no OML change, suggest cause.next_command), checks, incremental ' +
    'windows, the delta against the previous successful run, a narrative and evidence ids to cite. Also ' +
    'the pipeline file and its current OML, to propose a fix against.',
  inputSchema: z.object({
    run_id: z.string().min(1).optional().describe('the run id from list_runs; omit for the latest run'),
  }),
  label: (input) => `reading run ${input.run_id ?? '(latest)'}`,
  run: async (input, context) => {
    const core = await readRunPackage(context, input.run_id);
    const pipeline = await findPipelineFile(context.projectDir, core.run.pipeline);
    const evidence = core.evidence
      .filter((item) => evidencePriority(item) <= 1)
      .slice(-MODEL_EVIDENCE)
      .map((item) => ({ id: item.id, step: item.step, name: item.name, ...item.data }));
    const { fingerprints: _fingerprints, ...run } = core.run;
    const result = {
      run,
      narrative: core.narrative,
      errors: core.errors,
      steps: core.dag.steps.map(({ sample: _sample, evidence: _ids, schema, config, ...step }) => ({
        ...step,
        // A long pipeline would not fit the model's result budget: configs of failed steps only.
        ...(config && (core.dag.steps.length <= FULL_STEPS || step.status === 'failed') ? { config } : {}),
        ...(schema ? { columns: schema.columns.map((column) => `${column.name} ${column.type}`) } : {}),
      })),
      checks: core.checks,
      incremental: core.incremental,
      delta: core.delta,
      evidence,
      ...(core.truncated.length > 0 ? { truncated: core.truncated } : {}),
      ...(pipeline
        ? { pipeline_file: pipeline.file, current_oml: pipeline.oml }
        : { pipeline_file: null, note: `No file under pipelines/ declares name: ${core.run.pipeline}.` }),
    };
    const error = core.errors[0];
    return {
      result,
      summary: error
        ? `${core.run.status}: ${error.step} ${error.code}`
        : `${core.run.status}, ${core.run.total_rows} rows`,
    };
  },
});
