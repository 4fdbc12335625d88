import { execFile } from 'node:child_process';
import { closeSync, constants, createReadStream, open, openSync, type ReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const execFileAsync = promisify(execFile);
const openAsync = promisify(open);

/**
 * Run `body` with a named pipe in a private folder under `parent`, removed afterwards. Node has
 * no mkfifo(3), so the POSIX `mkfifo` tool makes it (present on Linux and macOS).
 */
export async function withFifo<T>(parent: string, body: (path: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(parent, 'osiris-pipe-'));
  const path = join(directory, 'rows.csv');
  try {
    try {
      await execFileAsync('mkfifo', ['-m', '600', path]);
    } catch (error) {
      throw new OsirisError(
        ErrorCodes.INTERNAL,
        'cannot create a named pipe to stream rows between PostgreSQL and DuckDB',
        {
          hint: 'The PostgreSQL drivers need a POSIX system with the `mkfifo` tool (Linux, macOS).',
          cause: error,
        },
      );
    }
    return await body(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * The writing end, for a reader in another thread (DuckDB's read_csv). The open waits (in the
 * thread pool) until the reader has the pipe open: data written before that could be lost,
 * since a FIFO drops its buffer when the last descriptor closes. If the reader fails before it
 * ever opens, the open is released by briefly opening the pipe as a reader ourselves, and the
 * result is undefined. Writes then go through libuv's event loop (net.Socket), and destroying
 * the socket gives the reader end-of-file.
 */
export async function openFifoWriter(
  path: string,
  readerDone: Promise<unknown>,
): Promise<Socket | undefined> {
  let opened = false;
  let readerGone = false;
  // Held open until our own open returns: if it were closed at once, an open that starts in the
  // thread pool only afterwards would wait for a reader forever.
  let standInReader: number | undefined;
  const releasePendingOpen = () => {
    readerGone = true;
    if (opened) return;
    try {
      standInReader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      // The pipe is already gone, and with it anything that could be waiting on it.
    }
  };
  readerDone.then(releasePendingOpen, releasePendingOpen);
  const fd = await openAsync(path, constants.O_WRONLY);
  opened = true;
  if (readerGone) {
    closeSync(fd);
    if (standInReader !== undefined) closeSync(standInReader);
    return undefined;
  }
  return new Socket({ fd, readable: false, writable: true });
}

/**
 * The reading end, for a writer in another thread (DuckDB's COPY TO). Its open blocks in the
 * thread pool until the writer opens the pipe: call `abandonFifoReader` if the writer may never.
 */
export function openFifoReader(path: string): ReadStream {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

/**
 * Stop reading for good without leaving anyone blocked: our own reader's pending open and
 * DuckDB's writes both need a peer, so a throwaway reader-writer socket drains and discards
 * whatever the writer still sends until `writerDone` settles.
 */
export async function abandonFifoReader(
  path: string,
  reader: ReadStream,
  writerDone: Promise<unknown>,
): Promise<void> {
  const drain = new Socket({
    fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK),
    readable: true,
    writable: false,
  });
  drain.resume();
  reader.destroy();
  try {
    await writerDone;
  } catch {
    // The writer's failure is reported by whoever awaits it; here it only means "done".
  } finally {
    drain.destroy();
  }
}

/** Quote a file path as a DuckDB string literal. */
export function duckdbPathLiteral(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}
