import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/**
 * How one column's text-protocol bytes become a CSV field (PostgreSQL's CSV dialect, the one
 * `loadCsvIntoDataPlane` reads: NULL is an empty unquoted field, text is always quoted).
 * - `plain`: the server's text as is (integers, DECIMAL, FLOAT/DOUBLE, YEAR, TIME).
 * - `text`: quoted, `"` doubled, so an empty string stays apart from NULL.
 * - `bytes`: `\x` + hex (the loader's `hex-to-blob`).
 * - `boolean`: TINYINT(1): `false` for zero, `true` otherwise.
 * - `date`: a zero date (`0000-00-00…`) becomes NULL.
 * - `utc-timestamp`: like `date`, plus `+00` (sessions run in UTC).
 * - `bit-boolean` / `bits`: BIT(1) / BIT(n) big-endian bytes → `true`/`false` / an unsigned integer.
 */
export type CsvCell =
  | 'plain'
  | 'text'
  | 'bytes'
  | 'boolean'
  | 'date'
  | 'utc-timestamp'
  | 'bit-boolean'
  | 'bits';

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const TRUE = Buffer.from('true', 'latin1');
const FALSE = Buffer.from('false', 'latin1');
const UTC_SUFFIX = Buffer.from('+00', 'latin1');
const ZERO_DATE = Buffer.from('0000-00-00', 'latin1');
/** Bytes handed on at a time: large enough that each write costs nothing, small enough to stay resident. */
const DEFAULT_CHUNK_BYTES = 256 * 1024;

/**
 * Turns MySQL text-protocol row packets into CSV bytes with one byte loop per row: no JS string
 * or value is made per cell (the per-value path spent ~7 µs per row building them). The packet
 * layout is the protocol's `ProtocolText::ResultsetRow`: per column a length-encoded string,
 * or 0xFB for NULL. Full chunks go to `emit`; `flush` hands on the rest.
 */
export class CsvRowWriter {
  readonly #cells: readonly CsvCell[];
  readonly #emit: (chunk: Buffer) => void;
  readonly #chunkBytes: number;
  readonly #maxLineBytes: number;
  #chunk: Buffer;
  #used = 0;

  constructor(
    cells: readonly CsvCell[],
    emit: (chunk: Buffer) => void,
    options: { chunkBytes?: number; maxLineBytes?: number } = {},
  ) {
    this.#cells = cells;
    this.#emit = emit;
    this.#chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.#maxLineBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY;
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
  }

  /** Append the row whose payload is `buffer[start, end)` as one CSV line. */
  row(buffer: Buffer, start: number, end: number): void {
    const cells = this.#cells;
    // Worst case: hex doubles every byte, quoting doubles every `"`, plus separators and suffixes.
    this.#reserve(2 * (end - start) + 8 * cells.length + 2);
    const out = this.#chunk;
    const lineStart = this.#used;
    let used = lineStart;
    let offset = start;
    for (let index = 0; index < cells.length; index += 1) {
      if (index > 0) out[used++] = COMMA;
      const first = buffer[offset++]!;
      let length: number;
      if (first < 0xfb) length = first;
      else if (first === 0xfb)
        continue; // NULL: an empty unquoted field
      else if (first === 0xfc) {
        length = buffer.readUInt16LE(offset);
        offset += 2;
      } else if (first === 0xfd) {
        length = buffer.readUIntLE(offset, 3);
        offset += 3;
      } else {
        length = buffer.readUInt32LE(offset) + buffer.readUInt32LE(offset + 4) * 0x1_0000_0000;
        offset += 8;
      }
      const valueEnd = offset + length;
      switch (cells[index]) {
        case 'plain':
          for (let at = offset; at < valueEnd; at += 1) out[used++] = buffer[at]!;
          break;
        case 'text':
          out[used++] = QUOTE;
          for (let at = offset; at < valueEnd; at += 1) {
            const byte = buffer[at]!;
            if (byte === QUOTE) out[used++] = QUOTE;
            out[used++] = byte;
          }
          out[used++] = QUOTE;
          break;
        case 'bytes':
          out[used++] = 0x5c; // \
          out[used++] = 0x78; // x
          for (let at = offset; at < valueEnd; at += 1) {
            const byte = buffer[at]!;
            out[used++] = HEX_DIGITS[byte >> 4]!;
            out[used++] = HEX_DIGITS[byte & 0x0f]!;
          }
          break;
        case 'boolean': {
          let nonZero = false;
          for (let at = offset; at < valueEnd; at += 1) {
            const byte = buffer[at]!;
            if (byte > ZERO && byte <= NINE) nonZero = true;
          }
          used += (nonZero ? TRUE : FALSE).copy(out, used);
          break;
        }
        case 'date':
        case 'utc-timestamp':
          if (
            length >= ZERO_DATE.length &&
            buffer.compare(ZERO_DATE, 0, ZERO_DATE.length, offset, offset + ZERO_DATE.length) === 0
          )
            break; // MySQL's zero date has no DuckDB equivalent: NULL
          for (let at = offset; at < valueEnd; at += 1) out[used++] = buffer[at]!;
          if (cells[index] === 'utc-timestamp') used += UTC_SUFFIX.copy(out, used);
          break;
        case 'bit-boolean':
          used += (length > 0 && buffer[offset] !== 0 ? TRUE : FALSE).copy(out, used);
          break;
        case 'bits': {
          let value = 0n;
          for (let at = offset; at < valueEnd; at += 1) value = (value << 8n) | BigInt(buffer[at]!);
          used += out.write(value.toString(), used, 'latin1');
          break;
        }
      }
      offset = valueEnd;
    }
    out[used++] = NEWLINE;
    if (used - lineStart > this.#maxLineBytes) {
      throw new OsirisError(
        ErrorCodes.SOURCE_READ_FAILED,
        `a row is ${used - lineStart} bytes as CSV, more than the ${this.#maxLineBytes} the extractor passes to DuckDB in one line`,
        {
          hint: 'Raise `max_row_size` under `data_plane:` in osiris.yaml (or OSIRIS_MAX_ROW_SIZE, e.g. 16MiB), leave the largest BLOB/TEXT columns out of `columns`, or cut them in `query` (e.g. `LEFT(col, 1000000)`).',
        },
      );
    }
    this.#used = used;
  }

  /** Hand on the bytes written so far. */
  flush(): void {
    if (this.#used === 0) return;
    const full = this.#chunk.subarray(0, this.#used);
    this.#chunk = Buffer.allocUnsafe(this.#chunkBytes);
    this.#used = 0;
    this.#emit(full);
  }

  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#chunk.length) return;
    this.flush();
    if (bytes > this.#chunk.length) this.#chunk = Buffer.allocUnsafe(bytes);
  }
}
