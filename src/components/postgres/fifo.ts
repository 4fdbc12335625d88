import { execFile } from 'node:child_process';
import { closeSync, constants, createReadStream, openSync, type ReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const execFileAsync = promisify(execFile);
/** How often to offer end-of-file to a reader that may still be opening the pipe (failure paths only). */
const POLL_MS = 10;

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
export async function abandonFifoReader(path: string, reader: ReadStream, writerDone: Promise<unknown>): Promise<void> {
  const drain = new Socket({ fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
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

/**
 * End the stream for a reader in another thread (DuckDB's read_csv) once the writer socket is
 * destroyed. A reader that had not opened the pipe yet would block in open() forever, so until
 * `readerDone` settles, keep offering it a writer that closes at once (it then reads end-of-file).
 */
export async function releaseFifoReader(path: string, readerDone: Promise<unknown>): Promise<void> {
  let settled = false;
  const markSettled = () => {
    settled = true;
  };
  readerDone.then(markSettled, markSettled);
  while (!settled) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (error) {
      // ENXIO: nobody has the pipe open for reading yet (or any more). ENOENT: it is gone.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENXIO') return;
    }
    await sleep(POLL_MS);
  }
}

/** Quote a file path as a DuckDB string literal. */
export function duckdbPathLiteral(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}
