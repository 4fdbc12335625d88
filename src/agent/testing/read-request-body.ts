import type { IncomingMessage } from 'node:http';

export type RequestBody =
  | { kind: 'complete'; text: string; byteLength: number }
  | { kind: 'too-large'; limit: number };

/**
 * Read a request body, giving up as soon as it passes `maxBytes` so a runaway client cannot make
 * the server hold more than that. Rejects when the client aborts.
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let byteLength = 0;
    const onData = (chunk: Buffer) => {
      byteLength += chunk.length;
      if (byteLength > maxBytes) {
        // Keep the stream flowing into nothing, so the client can still read our 413.
        request.off('data', onData);
        request.resume();
        chunks.length = 0;
        resolve({ kind: 'too-large', limit: maxBytes });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () =>
      resolve({ kind: 'complete', text: Buffer.concat(chunks).toString('utf8'), byteLength }),
    );
    request.on('error', reject);
    // A connection cut before the body ended may close without an error: never leave this pending.
    request.on('close', () => {
      if (!request.complete)
        reject(new Error('the client closed the connection before the request body ended'));
    });
  });
}
