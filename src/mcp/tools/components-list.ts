import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';

const SPEC_MODE_OF = { read: 'extract', write: 'write', transform: 'transform' } as const;

export const componentsListTool = defineTool({
  name: 'components_list',
  title: 'List components',
  description:
    'List the components a pipeline step can use (e.g. mysql.extractor, duckdb.processor, ' +
    'filesystem.csv_writer): name, title, modes and the connection families they accept. Use ' +
    "component_show for a component's config keys, examples and guidance.",
  input: z.strictObject({
    mode: z
      .enum(['read', 'write', 'transform'])
      .optional()
      .describe('only components usable with this OML step mode'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { context }) {
    const { summarizeSpec } = await import('../../registry/index.js');
    const { createProjectRegistry } = await import('../../composition/builtins.js');
    const specs = createProjectRegistry(context.projectDir)
      .list()
      .map((definition) => definition.spec)
      .filter((spec) => args.mode === undefined || spec.modes.includes(SPEC_MODE_OF[args.mode]));
    return { components: specs.map(summarizeSpec) };
  },
});
