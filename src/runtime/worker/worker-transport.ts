import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How a worker process ended: an exit code, or the signal that killed it. */
export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerTransportHandlers {
  /** One line of the worker's stdout, without its newline. */
  line(line: string): void;
  stderr(text: string): void;
  exit(exit: WorkerExit): void;
  /** The channel itself broke (spawn failed, the connection to a sandbox dropped). */
  error(error: Error): void;
}

/**
 * The byte channel between `WorkerClient` and a worker process: a local child's stdio, or a
 * command running in a remote sandbox. The protocol on top is the same everywhere.
 */
export interface WorkerTransport {
  readonly pid: number | undefined;
  /** Starts delivering the worker's output; called once, by the client that owns the transport. */
  attach(handlers: WorkerTransportHandlers): void;
  /** Sends data (whole protocol lines) to the worker's stdin, in call order. */
  write(data: string): void;
  /** Closes the worker's stdin; a worker exits when it reads EOF. */
  end(): void;
  kill(): void;
}

export interface ChildWorkerOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/** A worker running as a local child process, speaking over its stdio. */
export class ChildProcessTransport implements WorkerTransport {
  readonly #child: ChildProcess;
  #exited = false;

  constructor(options: ChildWorkerOptions) {
    this.#child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.once('exit', () => {
      this.#exited = true;
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  attach(handlers: WorkerTransportHandlers): void {
    createInterface({ input: this.#child.stdout!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      handlers.line(line),
    );
    this.#child.stderr!.on('data', (chunk: Buffer) => handlers.stderr(chunk.toString('utf8')));
    this.#child.on('exit', (code, signal) => handlers.exit({ code, signal }));
    this.#child.on('error', (error) => handlers.error(error));
  }

  write(data: string): void {
    this.#child.stdin!.write(data);
  }

  end(): void {
    this.#child.stdin!.end();
  }

  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
  }
}
