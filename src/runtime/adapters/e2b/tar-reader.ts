const BLOCK = 512;

export interface TarEntry {
  /** Path as stored, `/`-separated; PAX and GNU long names already applied. */
  path: string;
  type: 'file' | 'directory' | 'other';
  size: number;
  /** The file's bytes; read it to the end, or the reader skips what is left. */
  body: AsyncIterable<Buffer>;
}

/**
 * Reads a tar stream (ustar, PAX and GNU long names) entry by entry without holding a whole file
 * in memory. Only regular files carry bodies worth keeping: the caller decides what to do with
 * directories and anything else (links are never followed here).
 */
export async function readTar(
  source: AsyncIterable<Buffer>,
  onEntry: (entry: TarEntry) => Promise<void>,
): Promise<void> {
  const reader = new ByteReader(source);
  let longName: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK);
    if (!block || block.every((byte) => byte === 0)) return;
    if (block.length < BLOCK) throw new TarFormatError('the archive ends inside a header');
    verifyChecksum(block);
    const type = String.fromCharCode(block[156] ?? 0);
    const size = readSize(block);
    if (type === 'x' || type === 'L') {
      const data = await reader.read(size);
      if (!data || data.length < size) throw new TarFormatError('the archive ends inside a long-name record');
      await reader.skip(padding(size));
      longName = type === 'L' ? cString(data, 0, data.length) : (paxPath(data) ?? longName);
      continue;
    }
    if (type === 'g') {
      await reader.skip(size + padding(size));
      continue;
    }
    const path = longName ?? ustarPath(block);
    longName = undefined;
    const kind =
      type === '0' || type === '\0' || type === '7' ? 'file' : type === '5' ? 'directory' : 'other';
    // Links store their target in the header; their size field is meaningless.
    const bodySize = type === '1' || type === '2' ? 0 : size;
    let remaining = bodySize;
    const body = (async function* () {
      while (remaining > 0) {
        const chunk = await reader.readSome(remaining);
        if (!chunk) throw new TarFormatError(`the archive ends inside ${path}`);
        remaining -= chunk.length;
        yield chunk;
      }
    })();
    await onEntry({ path, type: kind, size: bodySize, body });
    await reader.skip(remaining + padding(bodySize));
  }
}

export class TarFormatError extends Error {
  constructor(what: string) {
    super(`Not a valid tar archive: ${what}.`);
    this.name = 'TarFormatError';
  }
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function verifyChecksum(block: Buffer): void {
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 32 : block[index]!;
  const stored = Number.parseInt(cString(block, 148, 8).trim() || '0', 8);
  if (stored !== sum) throw new TarFormatError('a header checksum does not match');
}

function readSize(block: Buffer): number {
  // GNU base-256: the top bit of the first byte marks a binary big-endian number.
  if ((block[124]! & 0x80) !== 0) {
    let value = block[124]! & 0x7f;
    for (let index = 125; index < 136; index++) value = value * 256 + block[index]!;
    return value;
  }
  return Number.parseInt(cString(block, 124, 12).trim() || '0', 8);
}

function ustarPath(block: Buffer): string {
  const name = cString(block, 0, 100);
  const isUstar = block.toString('ascii', 257, 262) === 'ustar';
  const prefix = isUstar ? cString(block, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function paxPath(data: Buffer): string | undefined {
  let found: string | undefined;
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number.parseInt(data.toString('ascii', offset, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, offset + length - 1);
    const equals = record.indexOf('=');
    if (record.slice(0, equals) === 'path') found = record.slice(equals + 1);
    offset += length;
  }
  return found;
}

function cString(buffer: Buffer, offset: number, length: number): string {
  const end = buffer.indexOf(0, offset);
  return buffer.toString('utf8', offset, end === -1 || end > offset + length ? offset + length : end);
}

/** Pulls exact byte counts out of a stream of arbitrarily sized chunks. */
class ByteReader {
  readonly #iterator: AsyncIterator<Buffer>;
  #buffer: Buffer = Buffer.alloc(0);
  #done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Exactly `count` bytes, fewer at the end of the stream, or undefined when nothing is left. */
  async read(count: number): Promise<Buffer | undefined> {
    while (this.#buffer.length < count && (await this.#fill()));
    if (this.#buffer.length === 0) return count === 0 ? Buffer.alloc(0) : undefined;
    const out = this.#buffer.subarray(0, count);
    this.#buffer = this.#buffer.subarray(out.length);
    return out;
  }

  /** Between 1 and `max` bytes, or undefined at the end of the stream. */
  async readSome(max: number): Promise<Buffer | undefined> {
    if (this.#buffer.length === 0 && !(await this.#fill())) return undefined;
    const out = this.#buffer.subarray(0, Math.min(max, this.#buffer.length));
    this.#buffer = this.#buffer.subarray(out.length);
    return out;
  }

  async skip(count: number): Promise<void> {
    let left = count;
    while (left > 0) {
      const chunk = await this.readSome(left);
      if (!chunk) return;
      left -= chunk.length;
    }
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#iterator.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#buffer = this.#buffer.length === 0 ? next.value : Buffer.concat([this.#buffer, next.value]);
    return true;
  }
}
