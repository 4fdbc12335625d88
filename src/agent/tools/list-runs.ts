import { z } from 'zod';
import { defineAgentTool } from './agent-tool.js';

export const listRunsTool = defineAgentTool({
  name: 'list_runs',
  description:
    'List recent pipeline runs of this project, newest first: run id, pipeline, status, start time, ' +
    'duration, rows and error code. Filter by pipeline name and status. Use read_run on a run id next.',
  inputSchema: z.object({
    pipeline: z.string().min(1).optional().describe('only runs of this pipeline (its OML name)'),
    status: z.enum(['success', 'failed', 'running', 'cancelled', 'crashed']).optional(),
    limit: z.number().int().min(1).max(50).optional().describe('at most this many runs (default 10)'),
  }),
  label: (input) =>
    `listing ${input.status ? `${input.status} ` : ''}runs${input.pipeline ? ` of ${input.pipeline}` : ''}`,
  run: async (input, context) => {
    const { listRuns } = await import('../../observability/logs/index.js');
    const rows = await listRuns(context.projectDir, {
      ...(input.pipeline ? { pipeline: input.pipeline } : {}),
      ...(input.status ? { status: input.status } : {}),
      limit: input.limit ?? 10,
    });
    const runs = rows.map((row) => ({
      run_id: row.run_id,
      pipeline: row.pipeline,
      status: row.status,
      started_at: row.started_at,
      duration_ms: row.duration_ms,
      total_rows: row.total_rows,
      error_code: row.error_code,
    }));
    return {
      result: { runs, ...(runs.length === 0 ? { note: 'No runs match.' } : {}) },
      summary: `${runs.length} run${runs.length === 1 ? '' : 's'}`,
    };
  },
});
