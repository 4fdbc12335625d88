import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on loopback (node:http) that answers like an API: what the HTTP families' tests talk to. */
export type Handler = (request: IncomingMessage, url: URL, response: ServerResponse) => unknown;

export interface TestApi {
  base: string;
  requests: { url: URL; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}

export async function startApi(handler: Handler): Promise<TestApi> {
  const requests: TestApi['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ url, headers: request.headers, body });
    await handler(request, url, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/api`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(
  response: ServerResponse,
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
