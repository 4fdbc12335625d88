import { z } from 'zod';
import type { SearchResult } from '../../discovery/types.js';
import { defineAgentTool } from './agent-tool.js';
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

function describeHits(found: SearchResult): string {
  const hits = found.hits;
  if (hits.length === 0) return found.timed_out ? 'no match (search timed out)' : 'no match';
  const places = hits.map((hit) => `${hit.table}.${hit.column}`);
  const shown = places.slice(0, 3).join(', ') + (places.length > 3 ? ', …' : '');
  return `${hits.length} match${hits.length === 1 ? '' : 'es'} in ${shown}`;
}
