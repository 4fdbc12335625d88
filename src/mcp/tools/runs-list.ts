import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';
import { runResourceUri } from '../resource-uris.js';

export const runsListTool = defineTool({
  name: 'runs_list',
  title: 'List runs',
  description:
    'Recent pipeline runs of this project, newest first: run id, pipeline, status, start time, duration, ' +
    'rows and error code. Use run_show with a run id for the details of one run.',
  input: z.strictObject({
    pipeline: z.string().min(1).optional().describe('only runs of this pipeline (its OML name)'),
    status: z
      .enum(['success', 'failed', 'running', 'cancelled', 'crashed'])
      .optional()
      .describe('only runs with this status'),
    limit: z.number().int().min(1).max(500).optional().describe('at most this many runs (default 20)'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { context }) {
    const { listRuns } = await import('../../observability/logs/index.js');
    const rows = await listRuns(context.projectDir, {
      ...(args.pipeline ? { pipeline: args.pipeline } : {}),
      ...(args.status ? { status: args.status } : {}),
      ...(args.limit ? { limit: args.limit } : {}),
    });
    return {
      runs: rows.map((row) => ({
        run_id: row.run_id,
        pipeline: row.pipeline,
        status: row.status,
        adapter: row.adapter,
        started_at: row.started_at,
        finished_at: row.finished_at,
        duration_ms: row.duration_ms,
        total_rows: row.total_rows,
        error_code: row.error_code,
        resource_uri: runResourceUri(row.run_id),
      })),
    };
  },
});
