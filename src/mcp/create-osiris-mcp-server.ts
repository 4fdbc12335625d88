import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../version.js';
import type { McpContext } from './mcp-context.js';
import { registerPrompts } from './register-prompts.js';
import { registerResources } from './register-resources.js';
import { registerTools } from './register-tools.js';
import { osirisTools } from './tools/index.js';

const instructions = (
  projectDir: string,
) => `Osiris builds and runs ETL pipelines written in OML for the project in ${projectDir}.
Work in this order: connections_list → discovery_request → write OML (the write_oml_pipeline prompt and
oml_schema_get describe it) → oml_validate → oml_save → pipeline_compile → ask the human for approval →
pipeline_run with approved: true (when the client supports elicitation, the server then asks the
human to confirm; a decline means nothing runs) → run_show. Connections are referenced as
"@family.alias"; never ask for, write or repeat secrets. Every tool error has a code, a message and a
hint saying what to do next.`;

/** One MCP server (tools, resources, prompt) bound to a project; connect it to one transport. */
export function createOsirisMcpServer(context: McpContext): McpServer {
  const server = new McpServer(
    { name: 'osiris', title: 'Osiris ETL', version: VERSION },
    { instructions: instructions(context.projectDir) },
  );
  registerTools(server, osirisTools, context);
  registerResources(server, context);
  registerPrompts(server);
  return server;
}
