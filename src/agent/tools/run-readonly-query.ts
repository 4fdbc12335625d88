import { z } from 'zod';
import { defineAgentTool } from './agent-tool.js';
import { resolveToolConnection } from './tool-connection.js';

/** Rows a query may return to the model; the full result belongs in a pipeline. */
export const QUERY_ROW_LIMIT = 100;

export const runReadonlyQueryTool = defineAgentTool({
  name: 'run_readonly_query',
  description:
    `Run one read-only SQL SELECT against a connection (in a read-only transaction) and get at most ${QUERY_ROW_LIMIT} ` +
    'rows. Use the dialect of the connection family. Good for answering a question directly or checking a ' +
    'query before putting it in a pipeline. Writes are refused.',
  inputSchema: z.object({
    connection: z.string().describe('connection reference, e.g. "@mysql.movies"'),
    sql: z.string().min(1).describe('a single SELECT (or WITH … SELECT) statement'),
    max_rows: z.number().int().min(1).max(QUERY_ROW_LIMIT).optional(),
  }),
  state: 'DISCOVERY',
  label: (input) => `querying ${input.connection}`,
  run: async (input, context) => {
    const { ref } = resolveToolConnection(context, input.connection);
    const discovery = await context.discovery();
    const result = await discovery.runReadonlyQuery({
      projectDir: context.projectDir,
      ref,
      sql: input.sql,
      maxRows: input.max_rows ?? 50,
      env: context.env,
      signal: context.signal,
    });
    const count = result.rows.length;
    return {
      result,
      summary: `${count}${result.truncated ? '+' : ''} row${count === 1 ? '' : 's'}`,
    };
  },
});
