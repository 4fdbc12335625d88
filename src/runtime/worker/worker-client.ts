import type { z } from 'zod';
import { ErrorCodes, OsirisError, type SerializedError } from '../../spec/errors.js';
import type { EngineSink } from '../engine-types.js';
import {
  encodeLine,
  type WorkerCommandType,
  type WorkerMessage,
  type WorkerRequest,
  type WorkerResponse,
  workerMessage,
  workerResponses,
} from './protocol.js';
import {
  ChildProcessTransport,
  type ChildWorkerOptions,
  type WorkerExit,
  type WorkerTransport,
} from './worker-transport.js';

type Pending = { command: WorkerCommandType; resolve(value: unknown): void; reject(error: Error): void };

/**
 * Parent side of the worker protocol: sends commands, matches responses by id, forwards the
 * worker's events and metrics to a sink. A malformed line becomes an error event; a worker that
 * dies fails every pending request with its exit code, so nothing waits forever. The worker is
 * reached through a transport: a local child process (given spawn options) or any other
 * `WorkerTransport`, such as a command in a remote sandbox.
 */
export class WorkerClient {
  readonly #transport: WorkerTransport;
  readonly #pending = new Map<number, Pending>();
  readonly #exited: Promise<void>;
  #nextId = 1;
  #exit: WorkerExit | undefined;
  #broken: Error | undefined;
  #stderrTail = '';
  sink: EngineSink | undefined;

  constructor(source: ChildWorkerOptions | WorkerTransport) {
    this.#transport = 'attach' in source ? source : new ChildProcessTransport(source);
    let markExited: () => void = () => undefined;
    this.#exited = new Promise<void>((resolve) => {
      markExited = resolve;
    });
    this.#transport.attach({
      line: (line) => this.#onLine(line),
      stderr: (text) => {
        this.#stderrTail = (this.#stderrTail + text).slice(-2000);
      },
      exit: (exit) => {
        this.#exit = exit;
        this.#rejectAll(this.#diedError());
        markExited();
      },
      error: (error) => {
        this.#broken = error;
        this.#rejectAll(error);
        // A broken channel never reports an exit: stop() must not wait for one.
        markExited();
      },
    });
  }

  get pid(): number | undefined {
    return this.#transport.pid;
  }

  /** False once the worker has exited or the channel to it broke. */
  get running(): boolean {
    return this.#exit === undefined && this.#broken === undefined;
  }

  /** Sends a command; resolves with the worker's answer once it matches that command's schema. */
  request<C extends WorkerRequest>(command: C): Promise<WorkerResponse<C['type']>> {
    if (this.#exit) return Promise.reject(this.#diedError());
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise<WorkerResponse<C['type']>>((resolve, reject) => {
      const pending = { command: command.type, resolve: resolve as (value: unknown) => void, reject };
      this.#pending.set(id, pending);
      this.#transport.write(encodeLine({ ...command, id }));
    });
  }

  /** Closes stdin (the worker exits when it sees EOF) and kills it if it lingers. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#exit || this.#broken) return;
    this.#transport.end();
    const timer = setTimeout(() => this.#transport.kill(), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.#exit) this.#transport.kill();
  }

  #rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #onLine(line: string): void {
    if (line.trim() === '') return;
    let message: WorkerMessage;
    try {
      message = workerMessage.parse(JSON.parse(line));
    } catch {
      this.sink?.event('worker_protocol_error', {
        message: 'The worker printed a line that is not a protocol message.',
        line: line.slice(0, 200),
      });
      return;
    }
    switch (message.type) {
      case 'event':
        this.sink?.event(message.name, message.fields);
        break;
      case 'metric':
        this.sink?.metric(message.name, message.value, message.unit, message.step_id, message.tags);
        break;
      case 'progress':
        this.sink?.progress?.(
          message.step_id,
          message.rows,
          ...(message.total_rows === undefined ? [] : [message.total_rows]),
        );
        break;
      case 'response':
        this.#settle(message.id, (p) => {
          const answer = workerResponses[p.command].safeParse(message.result);
          if (answer.success) p.resolve(answer.data);
          else p.reject(malformedAnswer(p.command, answer.error));
        });
        break;
      case 'error':
        if (message.id === undefined)
          this.sink?.event('worker_protocol_error', { message: message.error.message });
        else this.#settle(message.id, (p) => p.reject(toOsirisError(message.error)));
        break;
    }
  }

  #settle(id: number, action: (pending: Pending) => void): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    action(pending);
  }

  #diedError(): OsirisError {
    const how = this.#exit?.signal
      ? `was killed by ${this.#exit.signal}`
      : `exited with code ${this.#exit?.code}`;
    const tail = this.#stderrTail.trim().split('\n').slice(-3).join(' | ');
    return new OsirisError(ErrorCodes.WORKER_DIED, `The worker process ${how} before finishing.`, {
      hint: tail
        ? `Its last output: ${tail}`
        : 'Rerun with --verbose; check memory limits and the worker environment.',
      details: { exit_code: this.#exit?.code ?? null, signal: this.#exit?.signal ?? null },
    });
  }
}

function toOsirisError(error: SerializedError): OsirisError {
  return new OsirisError(error.code as typeof ErrorCodes.INTERNAL, error.message, {
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.details ? { details: error.details } : {}),
  });
}

/** An answer that does not match its command: a worker of another version, or a bug in it. */
function malformedAnswer(command: WorkerCommandType, error: z.ZodError): OsirisError {
  const problem = error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`)
    .join('; ');
  return new OsirisError(
    ErrorCodes.WORKER_PROTOCOL,
    `The worker answered ${command} with a malformed result: ${problem}.`,
    {
      hint: 'The worker and this Osiris differ in version, or the worker has a bug: rebuild (npm run build) and rerun; report it if it persists.',
    },
  );
}
