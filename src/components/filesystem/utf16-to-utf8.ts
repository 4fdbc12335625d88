import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Copies a UTF-16 file (byte-order mark honoured, little-endian without one) to UTF-8, streaming.
 * DuckDB's own UTF-16 reader refuses characters outside the Basic Multilingual Plane (emoji, for
 * one), so UTF-16 CSV files are read through this copy instead.
 */
export async function transcodeUtf16ToUtf8(
  source: string,
  target: string,
  signal: AbortSignal,
): Promise<void> {
  const decoder = new TextDecoder(await utf16Variant(source));
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, decoder.decode(chunk, { stream: true }));
    },
    flush(callback) {
      callback(null, decoder.decode());
    },
  });
  await pipeline(createReadStream(source), toUtf8, createWriteStream(target), { signal });
}

async function utf16Variant(path: string): Promise<'utf-16le' | 'utf-16be'> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0xfe && buffer[1] === 0xff ? 'utf-16be' : 'utf-16le';
  } finally {
    await file.close();
  }
}
