import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';
import { paramsArgument, profileArgument, readOmlArgument } from './oml-input.js';

export const omlValidateTool = defineTool({
  name: 'oml_validate',
  title: 'Validate OML',
  description:
    'Check an OML pipeline (inline YAML or a saved pipeline name) against the component registry and the ' +
    "project's connections: structure, component names and modes, config keys and values, dependencies, " +
    'params, and that every "@family.alias" exists. Returns every problem with line, column, code and a ' +
    'hint. Fix all errors and validate again before saving or compiling.',
  input: z.strictObject({
    oml: z.string().optional().describe('the OML YAML text'),
    pipeline: z
      .string()
      .optional()
      .describe('instead of oml: a saved pipeline, by name ("movie-ratings") or path inside the project'),
    check_connections: z
      .boolean()
      .optional()
      .describe('check every config.connection against osiris_connections.yaml (default true)'),
    params: paramsArgument,
    profile: profileArgument,
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { context }) {
    const { text, file } = await readOmlArgument(context, args);
    const { validateOml } = await import('../../oml/index.js');
    const { createProjectRegistry } = await import('../../composition/builtins.js');
    const { loadConnections } = await import('../../connections/index.js');
    const connections =
      args.check_connections === false
        ? undefined
        : loadConnections({ cwd: context.projectDir, env: context.env });
    const { document, diagnostics } = validateOml(text, {
      file,
      registry: createProjectRegistry(context.projectDir),
      env: context.env,
      projectDir: context.projectDir,
      ...(connections ? { connections } : {}),
      ...(args.params ? { params: args.params } : {}),
      ...(args.profile ? { profile: args.profile } : {}),
    });
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    const ok = errors === 0;
    return {
      ok,
      errors,
      warnings: diagnostics.length - errors,
      diagnostics,
      ...(document && ok
        ? {
            pipeline: {
              name: document.name,
              steps: document.steps.map(({ id, component, mode, needs }) => ({ id, component, mode, needs })),
            },
            next: 'save it with oml_save, then compile with pipeline_compile',
          }
        : { next: 'fix every error (each has a hint) and call oml_validate again' }),
    };
  },
});
