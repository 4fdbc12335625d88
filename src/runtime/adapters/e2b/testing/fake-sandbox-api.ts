import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type {
  RemoteSandbox,
  SandboxApi,
  SandboxCommandResult,
  SandboxCreateOptions,
  SandboxProcess,
  SandboxRunOptions,
  SandboxStartOptions,
} from '../sandbox-api.js';

export interface FakeSandboxOptions {
  resources?: { cpuCount: number; memoryMB: number };
  /** Fault injection: writing a file whose path matches fails as a dropped upload would. */
  failWrite?: RegExp;
  /** Fault injection: `create` itself fails with this error. */
  failCreate?: Error;
  /** Files a template would bring, written into each new sandbox's home (path → content). */
  template?: Record<string, string>;
}

/**
 * A `SandboxApi` whose sandboxes are temp folders on this machine and whose commands are real
 * local processes (bash), with E2B's semantics: commands see only the sandbox's own environment
 * plus the variables passed to them, background commands keep stdin open and report output in
 * chunks, every path must lie inside the sandbox, and nothing works after `kill()`. The folders
 * stay after a kill so tests can inspect every file; `dispose()` removes them.
 */
export class FakeSandboxApi implements SandboxApi {
  readonly sandboxes: FakeSandbox[] = [];
  readonly requests: SandboxCreateOptions[] = [];
  readonly #options: FakeSandboxOptions;

  constructor(options: FakeSandboxOptions = {}) {
    this.#options = options;
  }

  async create(options: SandboxCreateOptions): Promise<RemoteSandbox> {
    this.requests.push(options);
    if (this.#options.failCreate) throw this.#options.failCreate;
    const root = await mkdtemp(join(tmpdir(), 'osiris-fake-sandbox-'));
    const sandbox = new FakeSandbox(`fake-${this.sandboxes.length + 1}`, root, this.#options);
    await mkdir(sandbox.home, { recursive: true });
    await mkdir(join(root, 'tmp'), { recursive: true });
    for (const [path, content] of Object.entries(this.#options.template ?? {})) {
      await mkdir(dirname(join(sandbox.home, path)), { recursive: true });
      await writeFile(join(sandbox.home, path), content);
    }
    this.sandboxes.push(sandbox);
    return sandbox;
  }

  async dispose(): Promise<void> {
    for (const sandbox of this.sandboxes) {
      await sandbox.kill();
      await rm(sandbox.root, { recursive: true, force: true });
    }
  }
}

export class FakeSandbox implements RemoteSandbox {
  readonly id: string;
  /** The local folder standing in for the sandbox's file system. */
  readonly root: string;
  readonly home: string;
  killed = false;
  /** Paths written through `files.write`, in order. */
  readonly writes: string[] = [];
  /** Background commands with the variables given to them (kept in memory only). */
  readonly started: Array<{ command: string; envs: Record<string, string> }> = [];
  readonly #options: FakeSandboxOptions;
  readonly #processes = new Map<number, ChildProcess>();

  constructor(id: string, root: string, options: FakeSandboxOptions) {
    this.id = id;
    this.root = root;
    this.home = join(root, 'home', 'user');
    this.#options = options;
  }

  readonly commands = {
    run: (command: string, options: SandboxRunOptions = {}): Promise<SandboxCommandResult> => {
      this.#assertAlive();
      const child = this.#spawn(command, options);
      this.#processes.set(child.pid!, child);
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (data: string) => (stdout += data));
      child.stderr!.setEncoding('utf8').on('data', (data: string) => (stderr += data));
      child.stdin!.end();
      return new Promise((resolveResult, reject) => {
        child.on('error', reject);
        child.on('close', (code) => {
          this.#processes.delete(child.pid!);
          resolveResult({ exitCode: code ?? -1, stdout, stderr });
        });
      });
    },
    start: async (command: string, options: SandboxStartOptions): Promise<SandboxProcess> => {
      this.#assertAlive();
      this.started.push({ command, envs: { ...options.envs } });
      const child = this.#spawn(command, options);
      const pid = child.pid!;
      this.#processes.set(pid, child);
      child.stdout!.setEncoding('utf8').on('data', (data: string) => options.onStdout(data));
      child.stderr!.setEncoding('utf8').on('data', (data: string) => options.onStderr(data));
      const ended = new Promise<{ exitCode: number | null; signal: string | null }>((resolveEnd) => {
        child.on('close', (code, signal) => {
          this.#processes.delete(pid);
          resolveEnd({ exitCode: code, signal });
        });
      });
      return {
        pid,
        wait: () => ended,
        kill: async () => {
          this.#assertAlive();
          killGroup(child);
        },
      };
    },
    sendStdin: async (pid: number, data: string): Promise<void> => {
      const child = this.#process(pid);
      await new Promise<void>((resolveWrite, reject) =>
        child.stdin!.write(data, (error) => (error ? reject(error) : resolveWrite())),
      );
    },
    closeStdin: async (pid: number): Promise<void> => {
      this.#process(pid).stdin!.end();
    },
  };

  readonly files = {
    write: async (path: string, data: Uint8Array | ReadableStream<Uint8Array>): Promise<void> => {
      this.#assertAlive();
      const target = this.#inside(path);
      this.writes.push(path);
      if (this.#options.failWrite?.test(path)) {
        if (!(data instanceof Uint8Array)) await data.cancel();
        throw new Error(`injected failure: the upload of ${path} was interrupted`);
      }
      await mkdir(dirname(target), { recursive: true });
      if (data instanceof Uint8Array) await writeFile(target, data);
      else await pipeline(Readable.fromWeb(data as WebReadableStream<Uint8Array>), createWriteStream(target));
    },
    read: async (path: string): Promise<ReadableStream<Uint8Array>> => {
      this.#assertAlive();
      const target = this.#inside(path);
      if (!existsSync(target)) throw new Error(`file not found in sandbox: ${path}`);
      return Readable.toWeb(createReadStream(target)) as unknown as ReadableStream<Uint8Array>;
    },
  };

  async resources(): Promise<{ cpuCount: number; memoryMB: number }> {
    this.#assertAlive();
    return this.#options.resources ?? { cpuCount: 2, memoryMB: 2048 };
  }

  async kill(): Promise<void> {
    this.killed = true;
    for (const child of this.#processes.values()) killGroup(child);
  }

  /** Every path is absolute and inside the sandbox, as on a real machine of its own. */
  #inside(path: string): string {
    const target = resolve(path);
    const fromRoot = relative(this.root, target);
    if (!path.startsWith('/') || fromRoot.startsWith('..')) {
      throw new Error(`path outside the fake sandbox: ${path}`);
    }
    return target;
  }

  #spawn(command: string, options: SandboxRunOptions): ChildProcess {
    // Like a sandbox, a command inherits nothing from this machine's environment but PATH
    // (so node, tar and bash are found).
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      TMPDIR: join(this.root, 'tmp'),
      LANG: 'C.UTF-8',
      ...options.envs,
    };
    return spawn('/bin/bash', ['-c', command], {
      cwd: options.cwd ? this.#inside(options.cwd) : this.home,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
  }

  #process(pid: number): ChildProcess {
    this.#assertAlive();
    const child = this.#processes.get(pid);
    if (!child) throw new Error(`process ${pid} not found in sandbox ${this.id}`);
    return child;
  }

  #assertAlive(): void {
    if (this.killed) throw new Error(`sandbox ${this.id} was killed`);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone already; the direct child may not be
  }
}
