import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';

export const componentShowTool = defineTool({
  name: 'component_show',
  title: 'Show a component',
  description:
    'Everything needed to write a step for one component: its config keys (type, required, default, ' +
    'description), the JSON Schema of its config, the connection families it accepts, examples (config ' +
    'and OML snippets) and usage guidance.',
  input: z.strictObject({
    name: z.string().min(1).describe('component name, e.g. "mysql.extractor"'),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { context }) {
    const registry = await import('../../registry/index.js');
    const { createProjectRegistry } = await import('../../composition/builtins.js');
    const { spec } = registry.requireComponent(createProjectRegistry(context.projectDir), args.name);
    return {
      ...registry.summarizeSpec(spec),
      connection: spec.connection ?? null,
      fields: registry.describeConfigFields(spec).filter((field) => !field.secret),
      config_schema: spec.configSchema,
      connection_fields: spec['x-connection-fields'] ?? [],
      examples: spec.examples,
      guidance: spec.llmHints.promptGuidance,
      patterns: spec.llmHints.commonPatterns ?? [],
      ...(spec.limits ? { limits: spec.limits } : {}),
      text: registry.formatComponentDetails(spec),
    };
  },
});
