import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { ErrorCodes, ExitCodes, OsirisError } from '../../spec/errors.js';
import { action, printJson } from '../output.js';

interface ServeOptions {
  http?: string;
}

interface ConfigOptions {
  client: string;
  project?: string;
  npx?: boolean;
}

export function registerMcp(program: Command): void {
  const mcp = program
    .command('mcp')
    .description(
      'Let any MCP client (Claude, Cursor, VS Code...) drive Osiris: serve the tools, or print client config.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ osiris mcp config --client claude     print the snippet that registers this project's server
  $ osiris mcp serve                      serve over stdio (what MCP clients start)
  $ osiris mcp serve --http 8765          serve streamable HTTP on http://127.0.0.1:8765/mcp`,
    );

  mcp
    .command('serve')
    .description('Serve the Osiris tools, resources and prompt over MCP (stdio unless --http).')
    .option(
      '--http <port>',
      'serve streamable HTTP on 127.0.0.1:<port>/mcp instead of stdio (0: any free port)',
    )
    .addHelpText(
      'after',
      `
The project is $OSIRIS_HOME, else the folder holding osiris_connections.yaml from the current one up.
Secrets are resolved only inside this process and never appear in a tool result. Every call is
logged (name, duration, sizes, outcome; never argument values) to <project>/.osiris/mcp/audit.jsonl.

Examples:
  $ OSIRIS_HOME=~/etl osiris mcp serve
  $ osiris mcp serve --http 8765`,
    )
    .action(
      action(async (options: ServeOptions) => {
        const { createMcpContext } = await import('../../mcp/mcp-context.js');
        const context = createMcpContext({ cwd: process.cwd(), env: process.env });
        if (options.http === undefined) {
          const { serveStdio } = await import('../../mcp/serve-stdio.js');
          await serveStdio(context);
          return ExitCodes.OK;
        }
        const { serveHttp } = await import('../../mcp/serve-http.js');
        const server = await serveHttp(context, { port: parsePort(options.http) });
        process.stderr.write(`osiris mcp: serving project ${context.projectDir} on ${server.url}\n`);
        await new Promise<void>((resolveStop) => {
          const stop = () => resolveStop();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
        return ExitCodes.OK;
      }),
    );

  mcp
    .command('config')
    .description("Print the JSON snippet that registers this project's Osiris server with an MCP client.")
    .requiredOption('--client <client>', 'claude, cursor or vscode')
    .option('--project <dir>', 'the project the server works on (default: the current project)')
    .option('--npx', "launch with `npx osiris-etl` instead of this installation's absolute path")
    .addHelpText(
      'after',
      `
The snippet goes to stdout (pipe it or paste it); where to put it goes to stderr.

Examples:
  $ osiris mcp config --client claude
  $ osiris mcp config --client vscode > .vscode/mcp.json
  $ osiris mcp config --client cursor --project ~/etl --npx`,
    )
    .action(
      action(async (options: ConfigOptions) => {
        const { CLIENT_CONFIG_FILES, mcpClientConfig, MCP_CLIENTS } = await import(
          '../../mcp/client-config.js'
        );
        const { findProjectDir } = await import('../../project/find-project-dir.js');
        const projectDir = options.project
          ? resolve(options.project)
          : findProjectDir(process.cwd(), process.env);
        const snippet = mcpClientConfig(options.client, {
          ...serverLaunch(options.npx === true),
          projectDir,
        });
        printJson(snippet);
        const client = MCP_CLIENTS.find((name) => name === options.client);
        if (client) process.stderr.write(`Add it to ${CLIENT_CONFIG_FILES[client]}.\n`);
        return ExitCodes.OK;
      }),
    );
}

/** This installation's bin/osiris.js (dist/cli/commands → package root), else npx. */
function serverLaunch(npx: boolean): { command: string; args: string[] } {
  const bin = fileURLToPath(new URL('../../../bin/osiris.js', import.meta.url));
  if (!npx && existsSync(bin)) return { command: bin, args: ['mcp', 'serve'] };
  return { command: 'npx', args: ['-y', 'osiris-etl', 'mcp', 'serve'] };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new OsirisError(ErrorCodes.USAGE, `--http expects a port number from 0 to 65535, got "${text}".`, {
      hint: 'e.g. --http 8765',
    });
  }
  return port;
}
