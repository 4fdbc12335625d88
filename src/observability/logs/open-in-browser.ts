import { spawn } from 'node:child_process';

export interface OpenResult {
  opened: boolean;
  /** The program started, when one was. */
  command?: string;
  /** Why nothing was opened (no display, the program could not start). */
  reason?: string;
}

/**
 * Open a file in the user's browser: `$BROWSER` first (a `:`-separated list as in Python's
 * webbrowser module; `%s` marks where the path goes), else `open` on macOS, `start` on Windows,
 * `xdg-open` when an X11 or Wayland display exists. Without a display nothing is started.
 */
export async function openInBrowser(
  path: string,
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<OpenResult> {
  const command = browserCommand(path, env, platform);
  if (!command) return { opened: false, reason: 'no display is available' };
  const [program, ...args] = command;
  if (!program) return { opened: false, reason: '$BROWSER is empty' };
  return new Promise((resolve) => {
    const child = spawn(program, args, { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
    child.once('error', (error) => resolve({ opened: false, command: program, reason: error.message }));
    child.once('spawn', () => {
      child.unref();
      resolve({ opened: true, command: program });
    });
  });
}

function browserCommand(
  path: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): string[] | undefined {
  const configured = env.BROWSER?.split(':').find((entry) => entry.trim() !== '');
  if (configured) {
    // Split on spaces rather than handing the string to a shell: the path is never interpreted.
    const words = configured.trim().split(/\s+/);
    return words.some((word) => word.includes('%s'))
      ? words.map((word) => word.replaceAll('%s', path))
      : [...words, path];
  }
  if (platform === 'darwin') return ['open', path];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""', path];
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return ['xdg-open', path];
  return undefined;
}
