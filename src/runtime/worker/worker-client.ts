import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ErrorCodes, OsirisError, type SerializedError } from '../../spec/errors.js';
import type { EngineSink } from '../engine-types.js';
import { encodeLine, type WorkerMessage, workerMessage } from './protocol.js';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/**
 * Parent side of the worker protocol: sends commands, matches responses by id, forwards the
 * worker's events and metrics to a sink. A malformed line becomes an error event; a worker that
 * dies fails every pending request with its exit code, so nothing waits forever.
 */
export class WorkerClient {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #stderrTail = '';
  sink: EngineSink | undefined;

  constructor(options: { command: string; args: string[]; cwd: string; env: Record<string, string> }) {
    this.#child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.#child.stdout!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      this.#onLine(line),
    );
    this.#child.stderr!.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exit = { code, signal };
      const error = this.#diedError();
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
    this.#child.on('error', (error) => {
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  request<T>(command: Record<string, unknown> & { type: string }): Promise<T> {
    if (this.#exit) return Promise.reject(this.#diedError());
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.stdin!.write(encodeLine({ ...command, id }));
    });
  }

  /** Closes stdin (the worker exits when it sees EOF) and kills it if it lingers. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.#exit) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.stdin!.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.#exit) this.#child.kill('SIGKILL');
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
        this.sink?.progress?.(message.step_id, message.rows);
        break;
      case 'response':
        this.#settle(message.id, (p) => p.resolve(message.result));
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
