import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';
import { discoveryResourceUri } from '../resource-uris.js';

export const discoveryRequestTool = defineTool({
  name: 'discovery_request',
  title: 'Discover a database',
  description:
    'Read-only discovery of a connection: schemas, tables and views with row estimates, columns and ' +
    'types, primary and foreign keys, indexes, and sample rows per table. With `search`, also finds a ' +
    "literal value (a person's name, an order number) in every text column and returns the matching rows " +
    'with rows related through foreign keys. Take table and column names only from this result. Profiles ' +
    'are cached for an hour (set refresh to re-read); the last profile is also the resource ' +
    'osiris://discovery/{connection}.',
  input: z.strictObject({
    connection: z.string().min(1).describe('the connection to discover, e.g. "@mysql.movies"'),
    tables: z
      .array(z.string().min(1))
      .optional()
      .describe('only these tables ("name" or "schema.name"); default every table'),
    samples: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('sample rows per table (default 10, 0 for none); ask for more only when needed'),
    search: z.string().min(1).optional().describe('a literal value to find in the text columns'),
    refresh: z.boolean().optional().describe('ignore the cached profile and read the catalog again'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(args, { context, signal, progress }) {
    const { discoverDatabase, searchValues } = await import('../../composition/builtins.js');
    const base = { projectDir: context.projectDir, ref: args.connection, env: context.env, signal };
    await progress(0, `discovering ${args.connection}`);
    const profile = await discoverDatabase({
      ...base,
      ...(args.tables === undefined ? {} : { tables: args.tables }),
      ...(args.samples === undefined ? {} : { samples: args.samples }),
      ...(args.refresh === undefined ? {} : { refresh: args.refresh }),
    });
    const result: Record<string, unknown> = {
      connection: profile.connection,
      resource_uri: discoveryResourceUri(profile.connection),
      profile,
    };
    if (args.search !== undefined) {
      await progress(1, `searching ${args.connection} for the value`);
      result.search = await searchValues({
        ...base,
        text: args.search,
        ...(args.tables === undefined ? {} : { tables: args.tables }),
      });
    }
    return result;
  },
});
