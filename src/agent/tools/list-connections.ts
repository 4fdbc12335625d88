import { z } from 'zod';
import { connectionForModel } from '../context/connection-context.js';
import { defineAgentTool } from './agent-tool.js';

export const listConnectionsTool = defineAgentTool({
  name: 'list_connections',
  description:
    'List the database connections configured in osiris_connections.yaml, as "@family.alias" references ' +
    'with their family (SQL dialect) and whether each is the default. Secrets are never shown.',
  inputSchema: z.object({}),
  state: 'DISCOVERY',
  label: () => 'listing connections',
  run: async (_input, context) => {
    const connections = context.connections.connections.map((raw) => connectionForModel(raw, context.env));
    const refs = connections.map((connection) => connection.ref);
    return {
      result: {
        connections,
        ...(connections.length === 0
          ? { note: 'No connections are configured. Ask the user to add one to osiris_connections.yaml.' }
          : {}),
      },
      summary:
        connections.length === 0
          ? 'none configured'
          : `${connections.length} connection${connections.length === 1 ? '' : 's'} (${refs.join(', ')})`,
    };
  },
});
