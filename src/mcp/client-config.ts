import { ErrorCodes, OsirisError } from '../spec/errors.js';

export const MCP_CLIENTS = ['claude', 'cursor', 'vscode'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

export interface ServerLaunch {
  /** Absolute path of the osiris executable, or `npx`. */
  command: string;
  args: string[];
  /** The project the server works on (becomes OSIRIS_HOME). */
  projectDir: string;
}

/** Where each client reads its MCP servers from, for the help text printed with the snippet. */
export const CLIENT_CONFIG_FILES: Readonly<Record<McpClient, string>> = {
  claude:
    'Claude Desktop: claude_desktop_config.json (Settings → Developer → Edit Config); for Claude Code, `claude mcp add-json osiris \'<the "osiris" object>\'`',
  cursor: 'Cursor: .cursor/mcp.json in the project, or ~/.cursor/mcp.json for every project',
  vscode: 'VS Code: .vscode/mcp.json in the workspace (or the "mcp" section of your user settings)',
};

/** The JSON snippet that registers the Osiris server with a client. */
export function mcpClientConfig(client: string, launch: ServerLaunch): Record<string, unknown> {
  if (!(MCP_CLIENTS as readonly string[]).includes(client)) {
    throw new OsirisError(ErrorCodes.USAGE, `Unknown MCP client "${client}".`, {
      hint: `use one of: ${MCP_CLIENTS.join(', ')}`,
    });
  }
  const server = {
    command: launch.command,
    args: launch.args,
    env: { OSIRIS_HOME: launch.projectDir },
  };
  // VS Code names the map `servers` and wants the transport type; Claude and Cursor share a shape.
  return client === 'vscode'
    ? { servers: { osiris: { type: 'stdio', ...server } } }
    : { mcpServers: { osiris: server } };
}
