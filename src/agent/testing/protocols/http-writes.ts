import type { ServerResponse } from 'node:http';

export function writeJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** One server-sent event; `event` is the named event line some providers (Anthropic, Responses) send. */
export interface ServerSentEvent {
  event?: string;
  data: unknown;
}

/** Write a whole event stream and end it. `[DONE]`-style sentinels are passed as strings. */
export function writeEventStream(response: ServerResponse, events: readonly ServerSentEvent[]): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (const { event, data } of events) {
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    response.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`);
  }
  response.end();
}

export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
