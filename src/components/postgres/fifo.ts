import { execFile } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync, type ReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const execFileAsync = promisify(execFile);

/**
 * Run `body` with a named pipe in a private temp folder, removed afterwards. Node has no
 * mkfifo(3), so the POSIX `mkfifo` tool makes it (present on Linux and macOS).
 */
export async function withFifo<T>(body: (path: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'osiris-pipe-'));
  const path = join(directory, 'rows.csv');
  try {
    try {
      await execFileAsync('mkfifo', ['-m', '600', path]);
    } catch (error) {
      throw new OsirisError(ErrorCodes.INTERNAL, 'cannot create a named pipe to stream rows between PostgreSQL and DuckDB', {
        hint: 'The PostgreSQL drivers need a POSIX system with the `mkfifo` tool (Linux, macOS).',
        cause: error,
      });
    }
    return await body(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * The writing end, opened read-write and non-blocking: the open never waits for a reader (so a
 * reader that fails before opening cannot hang us), writes go through libuv's event loop rather
 * than the thread pool, and the reader sees end-of-file as soon as this socket is destroyed.
 */
export function openFifoWriter(path: string): Socket {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: false, writable: true });
}

/**
 * The reading end. Its open blocks (in the thread pool) until a writer opens the pipe; if the
 * writer fails before it ever does, `release()` unblocks that open by briefly being a writer,
 * and the stream then ends with no data.
 */
export function openFifoReader(path: string): { stream: ReadStream; release(): void } {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  return {
    stream,
    release() {
      if (stream.pending) {
        try {
          closeSync(openSync(path, constants.O_RDWR | constants.O_NONBLOCK));
        } catch {
          // The pipe is gone with its folder: nothing is left waiting on it.
        }
      }
      stream.destroy();
    },
  };
}

/** Quote a file path as a DuckDB string literal. */
export function duckdbPathLiteral(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}
