import { ErrorCodes, OsirisError } from '../../../spec/errors.js';
import type { WorkerExit, WorkerTransport, WorkerTransportHandlers } from '../../worker/worker-transport.js';
import type { RemoteSandbox, SandboxProcess } from './sandbox-api.js';

/**
 * The worker protocol over a background command in a sandbox: stdin through `sendStdin` (queued,
 * so lines arrive in order), stdout chunks re-cut into lines. Output that arrives before the
 * client attaches is held, not lost. A failed send or a lost connection breaks the channel,
 * which fails every pending request instead of leaving the run waiting.
 */
export class SandboxWorkerTransport implements WorkerTransport {
  readonly #sandbox: RemoteSandbox;
  #process: SandboxProcess | undefined;
  #handlers: WorkerTransportHandlers | undefined;
  readonly #held: Array<(handlers: WorkerTransportHandlers) => void> = [];
  #partialLine = '';
  #sending: Promise<void> = Promise.resolve();
  #broken = false;
  #exited = false;

  private constructor(sandbox: RemoteSandbox) {
    this.#sandbox = sandbox;
  }

  /** Starts `command` in the sandbox; `envs` reach that one process only. */
  static async start(
    sandbox: RemoteSandbox,
    command: string,
    options: { cwd: string; envs: Record<string, string> },
  ): Promise<SandboxWorkerTransport> {
    const transport = new SandboxWorkerTransport(sandbox);
    const process = await sandbox.commands.start(command, {
      cwd: options.cwd,
      envs: options.envs,
      onStdout: (data) => transport.#onStdout(data),
      onStderr: (data) => transport.#deliver((handlers) => handlers.stderr(data)),
    });
    transport.#process = process;
    process.wait().then(
      (exit) => transport.#onExit({ code: exit.exitCode, signal: exit.signal }),
      (error: unknown) => transport.#fail(error),
    );
    return transport;
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  attach(handlers: WorkerTransportHandlers): void {
    this.#handlers = handlers;
    for (const deliver of this.#held.splice(0)) deliver(handlers);
  }

  write(data: string): void {
    const pid = this.#process?.pid;
    if (pid === undefined) return;
    this.#sending = this.#sending
      .then(() => (this.#broken ? undefined : this.#sandbox.commands.sendStdin(pid, data)))
      .catch((error: unknown) => this.#fail(error));
  }

  end(): void {
    const pid = this.#process?.pid;
    if (pid === undefined) return;
    this.#sending = this.#sending
      .then(() => (this.#broken ? undefined : this.#sandbox.commands.closeStdin(pid)))
      .catch((error: unknown) => this.#fail(error));
  }

  kill(): void {
    if (this.#exited || !this.#process) return;
    this.#process.kill().catch((error: unknown) => this.#fail(error));
  }

  #onStdout(data: string): void {
    const text = this.#partialLine + data;
    const lines = text.split('\n');
    this.#partialLine = lines.pop() ?? '';
    for (const line of lines) this.#deliver((handlers) => handlers.line(line.replace(/\r$/, '')));
  }

  #onExit(exit: WorkerExit): void {
    if (this.#exited) return;
    this.#exited = true;
    const rest = this.#partialLine;
    this.#partialLine = '';
    if (rest) this.#deliver((handlers) => handlers.line(rest));
    this.#deliver((handlers) => handlers.exit(exit));
  }

  #fail(error: unknown): void {
    if (this.#broken || this.#exited) return;
    this.#broken = true;
    const message = error instanceof Error ? error.message : String(error);
    const failure = new OsirisError(
      ErrorCodes.WORKER_DIED,
      `Lost contact with the worker in the E2B sandbox: ${message}`,
      {
        hint: 'The sandbox may have reached its timeout (--e2b-timeout) or the network dropped; rerun with --verbose.',
        cause: error,
      },
    );
    this.#deliver((handlers) => handlers.error(failure));
  }

  #deliver(action: (handlers: WorkerTransportHandlers) => void): void {
    if (this.#handlers) action(this.#handlers);
    else this.#held.push(action);
  }
}
