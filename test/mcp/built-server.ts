import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OSIRIS_BIN = join(REPO_ROOT, 'bin', 'osiris.js');
const SOURCES = ['src/mcp', 'src/cli/commands/mcp.ts'];
const ENTRY = join(REPO_ROOT, 'dist', 'mcp', 'serve-stdio.js');

/**
 * The stdio tests spawn the built CLI. `npm test` builds first; a targeted run may find dist/
 * older than src/mcp, so build then. tsc emits even when other people's work in progress fails
 * to typecheck, so only the emitted file decides.
 */
export function ensureBuiltServer(): void {
  const built = existsSync(ENTRY) ? statSync(ENTRY).mtimeMs : 0;
  if (built > 0 && newestSource() <= built) return;
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch {
    // Type errors elsewhere still emit JavaScript; the check below decides.
  }
  if (!existsSync(ENTRY)) throw new Error('dist/mcp/serve-stdio.js was not built');
}

function newestSource(): number {
  let newest = 0;
  const visit = (path: string): void => {
    const info = statSync(path);
    if (info.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, info.mtimeMs);
  };
  for (const source of SOURCES) visit(join(REPO_ROOT, source));
  return newest;
}
