import { z } from 'zod';
import { defineTool } from '../osiris-tool.js';
import { relativeToProject } from '../project-relative.js';

export const connectionsListTool = defineTool({
  name: 'connections_list',
  title: 'List connections',
  description:
    "List the connections of the project's osiris_connections.yaml: family, alias, default marker and " +
    'fields with secrets shown as ***, plus which ${VAR} variables are set. A pipeline step refers to a ' +
    'connection as config.connection: "@family.alias". Start here before discovery or writing OML.',
  input: z.strictObject({}),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(_args, { context }) {
    const connections = await import('../../connections/index.js');
    const { projectSpecs } = await import('../../composition/project-specs.js');
    const config = connections.loadConnections({ cwd: context.projectDir, env: context.env });
    const secretNames = connections.secretNamesFromSpecs(projectSpecs(context.projectDir).specs);
    return {
      file: config.file ? relativeToProject(context.projectDir, config.file) : null,
      connections: config.connections.map((raw) => ({
        ...connections.summarizeConnection(raw, undefined, secretNames),
        variables: connections.connectionVariables(raw, config.env),
      })),
      ...(config.file
        ? {}
        : {
            hint: 'no osiris_connections.yaml in this project: ask the user to run `osiris init` or create one',
          }),
    };
  },
});
