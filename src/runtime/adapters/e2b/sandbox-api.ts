/**
 * The part of a cloud sandbox the e2b adapter uses, shaped after the `e2b` SDK (`Sandbox.create`,
 * `commands.run`, `commands.sendStdin`, `files.write/read`, `kill`) but narrow enough that a fake
 * built on local processes has the same semantics. The adapter depends on this, never on the SDK.
 */
export interface SandboxApi {
  create(options: SandboxCreateOptions): Promise<RemoteSandbox>;
}

export interface SandboxCreateOptions {
  apiKey: string;
  /** Template name or id; the provider's default when absent. */
  template?: string;
  /** The sandbox is destroyed by the provider after this long, even if nobody kills it. */
  timeoutMs: number;
  /** Labels shown in the provider's dashboard; never secrets. */
  metadata: Record<string, string>;
}

export interface RemoteSandbox {
  readonly id: string;
  readonly commands: SandboxCommands;
  readonly files: SandboxFiles;
  /** CPU and memory the sandbox was given (fixed by its template). */
  resources(): Promise<{ cpuCount: number; memoryMB: number }>;
  /** Destroys the sandbox and everything in it; idempotent. */
  kill(): Promise<void>;
}

export interface SandboxCommands {
  /** Runs a shell command to completion; a non-zero exit is a result, not an exception. */
  run(command: string, options?: SandboxRunOptions): Promise<SandboxCommandResult>;
  /** Starts a shell command in the background with stdin kept open. */
  start(command: string, options: SandboxStartOptions): Promise<SandboxProcess>;
  sendStdin(pid: number, data: string): Promise<void>;
  closeStdin(pid: number): Promise<void>;
}

export interface SandboxRunOptions {
  cwd?: string;
  /** Variables of this process only (not of the sandbox). */
  envs?: Record<string, string>;
  timeoutMs?: number;
}

export interface SandboxStartOptions {
  cwd?: string;
  envs?: Record<string, string>;
  /** Output arrives in arbitrary chunks, not lines. */
  onStdout(data: string): void;
  onStderr(data: string): void;
}

export interface SandboxCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface SandboxProcess {
  readonly pid: number;
  /** Settles when the process ends; `signal` is set when it was killed by one. */
  wait(): Promise<{ exitCode: number | null; signal: string | null }>;
  kill(): Promise<void>;
}

export interface SandboxFiles {
  /** Creates parent folders as needed and replaces an existing file. */
  write(path: string, data: Uint8Array | ReadableStream<Uint8Array>): Promise<void>;
  read(path: string): Promise<ReadableStream<Uint8Array>>;
}
