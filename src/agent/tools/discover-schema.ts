import { z } from 'zod';
import { defineAgentTool } from './agent-tool.js';
import { profileForModel, SAMPLE_ROWS_FOR_MODEL, tablesOf } from './profile-shape.js';
import { resolveToolConnection } from './tool-connection.js';
import type { ToolContext } from './tool-context.js';

export const discoverSchemaTool = defineAgentTool({
  name: 'discover_schema',
  description:
    'Discover the tables of a database connection: columns with types, primary and foreign keys, row ' +
    'estimates and a few sample rows. Results are cached; pass `refresh: true` after the schema changed. ' +
    'Pass `tables` to look at some tables only. For a REST API (`@rest.<alias>`) pass `path` (e.g. "/orders"): ' +
    'one page is fetched and you get the JSON path of its records, their columns as rest.extractor will ' +
    'create them, sample rows and the `paginate` settings the response suggests.',
  inputSchema: z.object({
    connection: z.string().describe('connection reference, e.g. "@mysql.movies"'),
    tables: z.array(z.string()).optional().describe('only these tables'),
    refresh: z.boolean().optional().describe('ignore the cache'),
    path: z.string().optional().describe('REST APIs only: the path to fetch, e.g. "/orders"'),
    records: z.string().optional().describe('REST APIs only: JSON path of the records, e.g. "$.data"'),
  }),
  state: 'DISCOVERY',
  label: (input) => `discovering ${input.connection}`,
  run: async (input, context) => {
    const { ref, raw } = resolveToolConnection(context, input.connection);
    const discovery = await context.discovery();
    if (discovery.discoveryKind(raw.family) === 'endpoint') return discoverApi(ref, input, context);
    const profile = await discovery.discoverDatabase({
      projectDir: context.projectDir,
      ref,
      env: context.env,
      ...(input.tables && input.tables.length > 0 ? { tables: input.tables } : {}),
      ...(input.refresh ? { refresh: true } : {}),
      samples: SAMPLE_ROWS_FOR_MODEL,
      signal: context.signal,
    });
    const tables = tablesOf(profile);
    const known = context.session.context.connections[ref]?.tables ?? [];
    const merged = new Map(known.map((table) => [table.name, table]));
    for (const table of tables) merged.set(table.name, table);
    context.session.context.connections[ref] = {
      tables: [...merged.values()],
      discoveredAt: new Date().toISOString(),
    };
    return {
      result: profileForModel(profile),
      summary: `${tables.length} table${tables.length === 1 ? '' : 's'}${tables.length > 0 && tables.length <= 8 ? ` (${tables.map((table) => table.name).join(', ')})` : ''}`,
    };
  },
});

/** An API has no tables: one page of `path`, as `osiris discover @rest.alias --path` shows it. */
async function discoverApi(
  ref: string,
  input: { path?: string | undefined; records?: string | undefined },
  context: ToolContext,
) {
  const discovery = await context.discovery();
  const profile = await discovery.discoverEndpoint({
    projectDir: context.projectDir,
    ref,
    env: context.env,
    path: input.path ?? '',
    ...(input.records ? { records: input.records } : {}),
    samples: 5,
    signal: context.signal,
  });
  return {
    result: { ...profile, path: input.path ?? '' },
    summary: `${profile.records_on_page} records at ${input.path ?? '/'} (${profile.columns.map((column) => column.name).join(', ')})`,
  };
}
