import { describe, expect, it } from 'vitest';
import type { EngineSink } from '../engine-types.js';
import { WorkerClient } from './worker-client.js';
import type { WorkerTransport, WorkerTransportHandlers } from './worker-transport.js';

/** A worker in this process that answers every command with `answer` and prints `lines` first. */
function scriptedWorker(
  answer: (command: { type: string }) => unknown,
  lines: string[] = [],
): WorkerTransport {
  let handlers: WorkerTransportHandlers | undefined;
  return {
    pid: undefined,
    attach: (attached) => {
      handlers = attached;
    },
    write: (data) => {
      const command = JSON.parse(data) as { id: number; type: string };
      queueMicrotask(() => {
        for (const line of lines) handlers?.line(line);
        handlers?.line(JSON.stringify({ type: 'response', id: command.id, result: answer(command) }));
      });
    },
    end: () => handlers?.exit({ code: 0, signal: null }),
    kill: () => handlers?.exit({ code: null, signal: 'SIGKILL' }),
  };
}

function recordingSink(): EngineSink & { events: Array<{ name: string; fields?: Record<string, unknown> }> } {
  const events: Array<{ name: string; fields?: Record<string, unknown> }> = [];
  return {
    events,
    event: (name, fields) => events.push({ name, ...(fields ? { fields } : {}) }),
    metric: () => {},
  };
}

describe('WorkerClient', () => {
  it('hands back a step outcome that matches the protocol', async () => {
    const client = new WorkerClient(scriptedWorker(() => ({ table: 'df_a', rows: 3, durationMs: 5 })));
    await expect(client.request({ type: 'exec_step', step_id: 'a', upstream: [] })).resolves.toEqual({
      table: 'df_a',
      rows: 3,
      durationMs: 5,
    });
  });

  it('refuses an answer that is not what the command returns, with a protocol error', async () => {
    const client = new WorkerClient(scriptedWorker(() => ({ rows: 'many' })));
    const answer = client.request({ type: 'exec_step', step_id: 'a', upstream: [] });
    await expect(answer).rejects.toMatchObject({ code: 'E_WORKER_PROTOCOL' });
    await expect(answer).rejects.toThrow(/answered exec_step with a malformed result: rows/);
    const ping = new WorkerClient(scriptedWorker(() => ({ ready: true })));
    await expect(ping.request({ type: 'ping' })).rejects.toMatchObject({ code: 'E_WORKER_PROTOCOL' });
  });

  it('reports an event or metric outside the catalogue as a protocol error, never forwards it', async () => {
    const client = new WorkerClient(
      scriptedWorker(
        () => ({ pong: true, pid: 1, node: 'v20' }),
        [
          JSON.stringify({ type: 'event', name: 'made_up', fields: {} }),
          JSON.stringify({ type: 'metric', name: 'made_up', value: 1, unit: 'rows' }),
          JSON.stringify({ type: 'event', name: 'table_created', fields: { table: 'x' } }),
        ],
      ),
    );
    const sink = recordingSink();
    client.sink = sink;
    await client.request({ type: 'ping' });
    expect(sink.events.map((event) => event.name)).toEqual([
      'worker_protocol_error',
      'worker_protocol_error',
      'table_created',
    ]);
  });
});
