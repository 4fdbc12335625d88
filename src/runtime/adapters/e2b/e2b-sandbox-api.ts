import type { CommandHandle, CommandResult, Sandbox } from 'e2b';
import type {
  RemoteSandbox,
  SandboxApi,
  SandboxCommandResult,
  SandboxCreateOptions,
  SandboxProcess,
} from './sandbox-api.js';

/** Bulk file transfers outlive the SDK's 60 s request default; the sandbox's own timeout still bounds them. */
const TRANSFER_TIMEOUT_MS = 20 * 60_000;

/**
 * `SandboxApi` on the real `e2b` SDK. The SDK is imported only when a sandbox is created, so
 * `osiris` starts fast and other adapters never load it.
 */
export function createE2bSandboxApi(): SandboxApi {
  return {
    async create(options: SandboxCreateOptions): Promise<RemoteSandbox> {
      const { Sandbox } = await import('e2b');
      const settings = { apiKey: options.apiKey, timeoutMs: options.timeoutMs, metadata: options.metadata };
      const sandbox = options.template
        ? await Sandbox.create(options.template, settings)
        : await Sandbox.create(settings);
      return wrapSandbox(sandbox);
    },
  };
}

function wrapSandbox(sandbox: Sandbox): RemoteSandbox {
  let killed: Promise<void> | undefined;
  return {
    id: sandbox.sandboxId,
    commands: {
      async run(command, options = {}) {
        try {
          const result = await sandbox.commands.run(command, {
            ...(options.cwd ? { cwd: options.cwd } : {}),
            ...(options.envs ? { envs: options.envs } : {}),
            ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          });
          return toResult(result);
        } catch (error) {
          // The SDK throws CommandExitError for a non-zero exit; it carries the full result.
          if (isCommandResult(error)) return toResult(error);
          throw error;
        }
      },
      async start(command, options): Promise<SandboxProcess> {
        const handle: CommandHandle = await sandbox.commands.run(command, {
          background: true,
          stdin: true,
          // 0 disables the per-command limit: the worker lives as long as the run.
          timeoutMs: 0,
          ...(options.cwd ? { cwd: options.cwd } : {}),
          ...(options.envs ? { envs: options.envs } : {}),
          onStdout: (data) => options.onStdout(data),
          onStderr: (data) => options.onStderr(data),
        });
        return {
          pid: handle.pid,
          async wait() {
            try {
              const result = await handle.wait();
              return { exitCode: result.exitCode, signal: null };
            } catch (error) {
              if (!isCommandResult(error)) throw error;
              return { exitCode: error.exitCode, signal: signalOf(error.error) };
            }
          },
          async kill() {
            await handle.kill();
          },
        };
      },
      sendStdin: (pid, data) => sandbox.commands.sendStdin(pid, data),
      closeStdin: (pid) => sandbox.commands.closeStdin(pid),
    },
    files: {
      async write(path, data) {
        const body = data instanceof Uint8Array ? new Blob([data]) : data;
        await sandbox.files.write(path, body, { requestTimeoutMs: TRANSFER_TIMEOUT_MS });
      },
      read: (path) => sandbox.files.read(path, { format: 'stream', requestTimeoutMs: TRANSFER_TIMEOUT_MS }),
    },
    async resources() {
      const info = await sandbox.getInfo();
      return { cpuCount: info.cpuCount, memoryMB: info.memoryMB };
    },
    kill() {
      killed ??= sandbox.kill().then(() => undefined);
      return killed;
    },
  };
}

function isCommandResult(value: unknown): value is CommandResult {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { exitCode?: unknown }).exitCode === 'number'
  );
}

function toResult(result: CommandResult): SandboxCommandResult {
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** envd reports a killed process as `signal: killed`; name it the way Node does. */
function signalOf(message: string | undefined): string | null {
  const match = /signal:\s*(\w+)/i.exec(message ?? '');
  if (!match) return null;
  const name = match[1]!.toUpperCase();
  return name === 'KILLED' ? 'SIGKILL' : name.startsWith('SIG') ? name : `SIG${name}`;
}
