import { z } from 'zod';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { closestNames } from '../../util/suggest.js';
import { buildComponentContext, componentDetails } from '../context/component-context.js';
import { defineAgentTool } from './agent-tool.js';

export const listComponentsTool = defineAgentTool({
  name: 'list_components',
  description:
    'List the pipeline components (extractors, processors, writers) with their modes and required config ' +
    'keys. Give `name` to get one component in full: every config field, examples and usage hints.',
  inputSchema: z.object({
    name: z.string().optional().describe('a component name such as "mysql.extractor", for its full details'),
  }),
  label: (input) => (input.name ? `reading component ${input.name}` : 'listing components'),
  run: async (input, context) => {
    if (input.name) {
      const spec = context.registry.spec(input.name);
      if (!spec) {
        const suggestions = closestNames(input.name, context.registry.names());
        throw new OsirisError(ErrorCodes.COMPONENT_UNKNOWN, `There is no component "${input.name}".`, {
          hint:
            suggestions.length > 0
              ? `did you mean ${suggestions.join(', ')}?`
              : 'call list_components without a name',
        });
      }
      return { result: componentDetails(spec), summary: `${spec.name}` };
    }
    const components = buildComponentContext(context.registry).map((entry) => ({
      name: entry.name,
      modes: entry.modes,
      title: entry.title,
      required: entry.required,
      ...(entry.connectionFamilies.length > 0 ? { connection_families: entry.connectionFamilies } : {}),
    }));
    return { result: { components }, summary: `${components.length} components` };
  },
});
