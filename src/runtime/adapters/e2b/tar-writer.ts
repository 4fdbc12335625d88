import { createReadStream } from 'node:fs';

/** One regular file to put in an archive. */
export interface TarFile {
  /** Path inside the archive, `/`-separated and relative. */
  path: string;
  /** The local file to read. */
  source: string;
  size: number;
  mode: number;
  /** Modification time in seconds since the epoch. */
  mtime: number;
}

const BLOCK = 512;

/**
 * A POSIX (ustar) tar stream of regular files, with PAX headers for paths ustar cannot hold.
 * Written here rather than by a `tar` binary so bundles build the same on every OS; GNU and
 * busybox tar read it. A file that changes size while it is read fails the archive.
 */
export async function* tarFiles(files: Iterable<TarFile>): AsyncGenerator<Buffer> {
  for (const file of files) {
    yield* headerBlocks(file);
    let read = 0;
    for await (const chunk of createReadStream(file.source)) {
      const bytes = chunk as Buffer;
      read += bytes.length;
      if (read > file.size) break;
      yield bytes;
    }
    if (read !== file.size) {
      throw new Error(`${file.source} changed size while it was archived (${file.size} → ${read} bytes).`);
    }
    const padding = (BLOCK - (file.size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  }
  // Two empty blocks end an archive.
  yield Buffer.alloc(BLOCK * 2);
}

function headerBlocks(file: TarFile): Buffer[] {
  const { path, size, mode, mtime } = file;
  const split = splitUstarPath(path);
  if (split) return [header({ ...split, size, mode, mtime, type: '0' })];
  const record = paxRecord('path', path);
  const pax = header({ name: 'PaxHeader', prefix: '', size: record.length, mode: 0o644, mtime, type: 'x' });
  const padding = Buffer.alloc((BLOCK - (record.length % BLOCK)) % BLOCK);
  const fallbackName = path.slice(-99);
  return [pax, record, padding, header({ name: fallbackName, prefix: '', size, mode, mtime, type: '0' })];
}

/** ustar keeps up to 100 bytes of name plus 155 of prefix, split at a `/`. */
function splitUstarPath(path: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: '' };
  for (let index = path.indexOf('/'); index !== -1; index = path.indexOf('/', index + 1)) {
    const prefix = path.slice(0, index);
    const name = path.slice(index + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name.length > 0) {
      return { name, prefix };
    }
  }
  return undefined;
}

/** A PAX record is `<length> <key>=<value>\n`, where the length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return Buffer.from(`${length}${body}`);
}

function header(fields: {
  name: string;
  prefix: string;
  size: number;
  mode: number;
  mtime: number;
  type: string;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(fields.name, 0, 100, 'utf8');
  writeOctal(block, 100, 8, fields.mode & 0o7777);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(fields.mtime)));
  block.write(fields.type, 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(fields.prefix, 345, 155, 'utf8');
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  if (value >= 8 ** (length - 1)) {
    throw new Error(
      `A value of ${value} does not fit a tar header field; files over 8 GB are not supported.`,
    );
  }
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
