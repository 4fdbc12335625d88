import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { AuditedTransport } from './audited-transport.js';
import { createOsirisMcpServer } from './create-osiris-mcp-server.js';
import type { McpContext } from './mcp-context.js';

export const MCP_HTTP_PATH = '/mcp';
const LOOPBACK = '127.0.0.1';
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface McpHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Streamable HTTP on 127.0.0.1 only, one MCP session (server + transport) per client. Requests
 * whose Host or Origin is not this loopback address are refused, so a web page cannot reach the
 * server through DNS rebinding.
 */
export async function serveHttp(context: McpContext, options: { port: number }): Promise<McpHttpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let port = options.port;
  const http = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(
        `osiris mcp: HTTP request failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!response.headersSent) reply(response, 500, 'internal error');
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const allowedHosts = [`${LOOPBACK}:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(request.headers.host ?? '')) return reply(response, 403, 'host not allowed');
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedHosts.some((host) => origin === `http://${host}`))
      return reply(response, 403, 'origin not allowed');
    if (new URL(request.url ?? '/', `http://${LOOPBACK}`).pathname !== MCP_HTTP_PATH)
      return reply(response, 404, `the MCP endpoint is ${MCP_HTTP_PATH}`);

    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId);
      if (!transport) return reply(response, 404, 'unknown or expired session; initialize again');
      return transport.handleRequest(request, response);
    }
    if (request.method !== 'POST') return reply(response, 400, 'no mcp-session-id header');
    const body = await readJsonBody(request);
    if (body === undefined) return reply(response, 400, 'the body is not JSON');
    if (!isInitializeRequest(body)) return reply(response, 400, 'start a session with an initialize request');

    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    const server = createOsirisMcpServer(context);
    server.server.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    server.server.onerror = (error) => process.stderr.write(`osiris mcp: ${error.message}\n`);
    await server.connect(new AuditedTransport(transport, context.audit));
    await transport.handleRequest(request, response, body);
  }

  await listen(http, options.port);
  port = (http.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}${MCP_HTTP_PATH}`,
    port,
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      const closed = new Promise<void>((resolve, reject) =>
        http.close((error) => (error ? reject(error) : resolve())),
      );
      // Idle keep-alive connections would otherwise hold the port open for seconds.
      http.closeAllConnections();
      await closed;
    },
  };
}

function listen(http: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new OsirisError(
          ErrorCodes.USAGE,
          `cannot listen on ${LOOPBACK}:${port}: ${error.code ?? error.message}`,
          {
            hint: 'choose another port with --http <port> (0 picks a free one)',
            cause: error,
          },
        ),
      );
    });
    http.listen(port, LOOPBACK, () => resolve());
  });
}

/** The parsed body, or undefined when it is not JSON; bodies over 4 MiB are refused. */
async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // Not JSON: the caller answers 400, which is all a client needs to know.
    return undefined;
  }
}

function reply(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}
