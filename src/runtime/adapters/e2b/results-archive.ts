import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { ErrorCodes, isOsirisError, OsirisError } from '../../../spec/errors.js';
import { produceFileAtomic } from '../../../util/atomic-file.js';
import { resolveProjectPath } from '../../../util/project-path.js';
import type { RemoteSandbox } from './sandbox-api.js';
import { shellQuote } from './shell-quote.js';
import { readTar } from './tar-reader.js';

const ARCHIVE_NAME = 'results.tar.gz';

export interface ResultsDestination {
  projectDir: string;
  /** The run session's artifacts/ folder. */
  artifactsDir: string;
}

/**
 * Brings a run's results home in one archive: the output files the steps reported
 * (`output_written`, project-relative) and the whole artifacts/ folder, packed by `tar` in the
 * sandbox and unpacked here while it downloads. Each file lands atomically (temp file in the
 * same folder, then rename). Only regular files at expected places are written: an archive entry
 * outside the project or the artifacts folder, or a link, is skipped and returned.
 */
export async function bringResultsHome(
  sandbox: RemoteSandbox,
  runDir: string,
  outputs: Iterable<string>,
  destination: ResultsDestination,
): Promise<{ skipped: string[] }> {
  const expected = new Set([...outputs].filter(isPlainRelativePath).map((path) => `project/${path}`));
  const members = ['artifacts', ...[...expected].sort()].map(shellQuote).join(' ');
  const packed = await sandbox.commands.run(`mkdir -p artifacts && tar czf ${ARCHIVE_NAME} ${members}`, {
    cwd: runDir,
    timeoutMs: 30 * 60_000,
  });
  if (packed.exitCode !== 0) {
    throw new OsirisError(
      ErrorCodes.ADAPTER_UNAVAILABLE,
      'Could not pack the run results in the E2B sandbox.',
      {
        hint: 'Rerun with --verbose; if it repeats, the sandbox may be out of disk space.',
        details: {
          exit_code: packed.exitCode,
          stderr: packed.stderr.trim().split('\n').slice(-3).join(' | '),
        },
      },
    );
  }
  const download = await sandbox.files.read(`${runDir}/${ARCHIVE_NAME}`);
  const skipped: string[] = [];
  const source = Readable.fromWeb(download as WebReadableStream<Uint8Array>).pipe(createGunzip());
  try {
    await readTar(source, async (entry) => {
      const path = entry.path.replace(/^\.\//, '').replace(/\/$/, '');
      const target = targetOf(path, expected, destination);
      if (entry.type === 'directory' && target !== undefined) {
        await mkdir(target, { recursive: true });
        return;
      }
      if (entry.type !== 'file' || target === undefined) {
        if (path !== 'artifacts') skipped.push(path);
        return;
      }
      await produceFileAtomic(target, async (temp) => {
        await pipeline(Readable.from(entry.body), createWriteStream(temp));
      });
    });
  } catch (error) {
    source.destroy();
    if (isOsirisError(error)) throw error;
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      'Could not bring the run results home from the E2B sandbox.',
      {
        hint: 'Check free disk space and permissions of the project folder, then rerun.',
        details: { reason: error instanceof Error ? error.message : String(error) },
        cause: error,
      },
    );
  }
  return { skipped };
}

function targetOf(path: string, expected: Set<string>, destination: ResultsDestination): string | undefined {
  if (expected.has(path)) return resolveProjectPath(destination.projectDir, path.slice('project/'.length));
  if (path === 'artifacts') return destination.artifactsDir;
  if (!path.startsWith('artifacts/')) return undefined;
  const rest = path.slice('artifacts/'.length);
  if (!isPlainRelativePath(rest)) return undefined;
  const target = resolve(destination.artifactsDir, rest);
  const inside = relative(destination.artifactsDir, target);
  return inside.startsWith('..') || isAbsolute(inside) ? undefined : target;
}

/** Relative, `/`-separated, without `.`/`..` segments or characters a shell line cannot carry. */
function isPlainRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || /[\0\n\r\\]/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
