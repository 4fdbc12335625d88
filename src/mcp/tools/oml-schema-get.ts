import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';

export const omlSchemaGetTool = defineTool({
  name: 'oml_schema_get',
  title: 'Get the OML JSON Schema',
  description:
    "The JSON Schema (draft 2020-12) of OML v0.1.0, the YAML pipeline format, with each component's " +
    'modes and config keys. Use it to shape a pipeline; then check it with oml_validate, which also ' +
    'checks connections, dependencies, params and SQL-independent rules the schema cannot express.',
  input: z.strictObject({}),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run() {
    const { createDefaultRegistry } = await import('../../composition/builtins.js');
    const { omlJsonSchema } = await import('../oml-json-schema.js');
    return { oml_version: '0.1.0', schema: omlJsonSchema(createDefaultRegistry()) };
  },
});
