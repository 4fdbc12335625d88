import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { defineTool } from '../osiris-tool.js';
import { showRun } from '../show-run.js';

export const runShowTool = defineTool({
  name: 'run_show',
  title: 'Show a run',
  description:
    'One run in detail: status, timings, rows read and written per step, outputs written, errors with ' +
    'hints, fingerprints; with events: true also the event stream. Secrets are masked. Give a run_id ' +
    '(from runs_list or pipeline_run) or last: true.',
  input: z.strictObject({
    run_id: z.string().min(1).optional().describe('the run, e.g. "run_20250101T120000000Z_a1b2c3"'),
    last: z.boolean().optional().describe('the most recent run instead of a run_id'),
    events: z.boolean().optional().describe('also return every event of the run (can be long)'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { context }) {
    if (args.run_id === undefined && args.last !== true) {
      throw new OsirisError(ErrorCodes.USAGE, 'Which run? Give run_id or last: true.', {
        hint: 'runs_list shows recent run ids',
      });
    }
    return showRun(context, args.run_id === undefined ? { last: true } : { runId: args.run_id }, {
      events: args.events === true,
    });
  },
});
