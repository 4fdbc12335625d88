import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { AuditedTransport } from './audited-transport.js';
import { createOsirisMcpServer } from './create-osiris-mcp-server.js';
import type { McpContext } from './mcp-context.js';

/**
 * Serve over stdin/stdout until the client closes stdin. stdout carries only protocol messages,
 * so stray console.log output from any library is sent to stderr instead.
 */
export async function serveStdio(context: McpContext): Promise<void> {
  console.log = (...args: unknown[]) => console.error(...args);
  console.info = console.log;
  const server = createOsirisMcpServer(context);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  server.server.onerror = (error) => {
    process.stderr.write(`osiris mcp: ${error.message}\n`);
  };
  await server.connect(new AuditedTransport(new StdioServerTransport(), context.audit));
  process.stderr.write(`osiris mcp: serving project ${context.projectDir} over stdio\n`);
  // The SDK's stdio transport does not notice the end of stdin by itself.
  process.stdin.once('end', () => {
    void server.close();
  });
  await closed;
}
