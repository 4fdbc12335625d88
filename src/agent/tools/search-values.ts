import { z } from 'zod';
import { defineAgentTool } from './agent-tool.js';
import { isRecord } from './profile-shape.js';
import { resolveToolConnection } from './tool-connection.js';

export const searchValuesTool = defineAgentTool({
  name: 'search_values',
  description:
    'Find a literal value (a person, a title, a code) in the text columns of a database and return the ' +
    'matching rows with their table and column, plus related rows reachable through foreign keys. Use it ' +
    'when the user names something and you do not know which table holds it.',
  inputSchema: z.object({
    connection: z.string().describe('connection reference, e.g. "@mysql.movies"'),
    value: z.string().min(1).describe('the text to find, e.g. "Ava DuVernay"'),
    tables: z.array(z.string()).optional().describe('only search these tables'),
  }),
  state: 'DISCOVERY',
  label: (input) => `searching ${input.connection} for "${input.value}"`,
  run: async (input, context) => {
    const { ref } = resolveToolConnection(context, input.connection);
    const discovery = await context.discovery();
    const found = await discovery.searchValues({
      projectDir: context.projectDir,
      ref,
      text: input.value,
      ...(input.tables && input.tables.length > 0 ? { tables: input.tables } : {}),
      env: context.env,
      signal: context.signal,
    });
    return { result: found, summary: describeHits(found) };
  },
});

function describeHits(found: unknown): string {
  const hits = isRecord(found) && Array.isArray(found.hits) ? found.hits.filter(isRecord) : [];
  if (hits.length === 0) return 'no match';
  const places = hits.map((hit) => `${String(hit.table)}.${String(hit.column)}`);
  const shown = places.slice(0, 3).join(', ') + (places.length > 3 ? ', …' : '');
  return `${hits.length} match${hits.length === 1 ? '' : 'es'} in ${shown}`;
}
