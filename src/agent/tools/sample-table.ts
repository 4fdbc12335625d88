import { z } from 'zod';
import { defineAgentTool } from './agent-tool.js';
import { shortenValues } from './profile-shape.js';
import { resolveToolConnection } from './tool-connection.js';

export const sampleTableTool = defineAgentTool({
  name: 'sample_table',
  description: 'Read up to 10 rows of one table to see what its values look like.',
  inputSchema: z.object({
    connection: z.string().describe('connection reference, e.g. "@mysql.movies"'),
    table: z.string(),
    rows: z.number().int().min(1).max(10).optional().describe('how many rows, at most 10 (default 10)'),
  }),
  state: 'DISCOVERY',
  label: (input) => `sampling ${input.table}`,
  run: async (input, context) => {
    const { ref } = resolveToolConnection(context, input.connection);
    const discovery = await context.discovery();
    const sample = await discovery.sampleTable({
      projectDir: context.projectDir,
      ref,
      table: input.table,
      rows: input.rows ?? 10,
      env: context.env,
      signal: context.signal,
    });
    const rows = sample.rows.length;
    return {
      result: { table: input.table, columns: sample.columns, rows: sample.rows.map(shortenValues) },
      summary: `${rows} row${rows === 1 ? '' : 's'}`,
    };
  },
});
