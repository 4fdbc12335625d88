import { type FileHandle, open } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { crc32 } from './crc32.js';

interface CentralEntry {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  method: number;
  dosTime: number;
  dosDate: number;
  offset: number;
}

const UTF8_FLAG = 0x0800;
const MAX_32 = 0xffffffff;

/**
 * A minimal ZIP writer (deflate or store, UTF-8 names, no ZIP64): enough for run sessions, which
 * stay far below 4 GiB and 65,535 files. Entries are written as they are added, so only one file
 * is held in memory at a time.
 */
export class ZipWriter {
  readonly #file: FileHandle;
  readonly #entries: CentralEntry[] = [];
  #offset = 0;

  private constructor(file: FileHandle) {
    this.#file = file;
  }

  static async create(path: string): Promise<ZipWriter> {
    return new ZipWriter(await open(path, 'w', 0o600));
  }

  async add(name: string, data: Uint8Array, modified: Date = new Date()): Promise<void> {
    const deflated = deflateRawSync(data, { level: 6 });
    // Already-compressed artifacts (parquet) can grow when deflated; those are stored as they are.
    const method = deflated.length < data.length ? 8 : 0;
    const body = method === 8 ? deflated : data;
    if (
      data.length >= MAX_32 ||
      body.length >= MAX_32 ||
      this.#offset >= MAX_32 ||
      this.#entries.length >= 0xffff
    ) {
      throw new OsirisError(
        ErrorCodes.WRITE_FAILED,
        `The bundle is too large for a plain zip file at '${name}'.`,
        {
          hint: 'Bundle a smaller run, or copy the session folder directly.',
        },
      );
    }
    const nameBytes = Buffer.from(name, 'utf8');
    const { dosTime, dosDate } = dosDateTime(modified);
    const entry: CentralEntry = {
      name: nameBytes,
      crc: crc32(data),
      compressedSize: body.length,
      size: data.length,
      method,
      dosTime,
      dosDate,
      offset: this.#offset,
    };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(UTF8_FLAG, 6);
    header.writeUInt16LE(method, 8);
    header.writeUInt16LE(dosTime, 10);
    header.writeUInt16LE(dosDate, 12);
    header.writeUInt32LE(entry.crc, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(0, 28);
    await this.#write(header);
    await this.#write(nameBytes);
    await this.#write(body);
    this.#entries.push(entry);
  }

  /** Write the central directory and close the file. */
  async finish(): Promise<void> {
    const start = this.#offset;
    for (const entry of this.#entries) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(0x031e, 4); // made by: Unix, spec 3.0 (so unzip honours the mode bits)
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(UTF8_FLAG, 8);
      header.writeUInt16LE(entry.method, 10);
      header.writeUInt16LE(entry.dosTime, 12);
      header.writeUInt16LE(entry.dosDate, 14);
      header.writeUInt32LE(entry.crc, 16);
      header.writeUInt32LE(entry.compressedSize, 20);
      header.writeUInt32LE(entry.size, 24);
      header.writeUInt16LE(entry.name.length, 28);
      header.writeUInt32LE((0o100600 << 16) >>> 0, 38); // regular file, rw------- (sessions are private)
      header.writeUInt32LE(entry.offset, 42);
      await this.#write(header);
      await this.#write(entry.name);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#entries.length, 8);
    end.writeUInt16LE(this.#entries.length, 10);
    end.writeUInt32LE(this.#offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.#write(end);
    await this.#file.close();
  }

  /** Close without finishing (the caller discards the partial file). */
  async abort(): Promise<void> {
    await this.#file.close();
  }

  async #write(data: Uint8Array): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const result = await this.#file.write(data, written, data.length - written, this.#offset + written);
      written += result.bytesWritten;
    }
    this.#offset += data.length;
  }
}

/** MS-DOS date and time fields (local time, 2-second resolution, years from 1980). */
function dosDateTime(date: Date): { dosTime: number; dosDate: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    dosDate: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}
