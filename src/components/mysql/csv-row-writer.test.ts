import { expect, it } from 'vitest';
import { isOsirisError } from '../../spec/errors.js';
import { type CsvCell, CsvRowWriter } from './csv-row-writer.js';

/** A text-protocol row payload: each value a length-encoded string, NULL as 0xFB. */
function rowPayload(values: (string | Buffer | null)[]): Buffer {
  const parts: Buffer[] = [];
  for (const value of values) {
    if (value === null) {
      parts.push(Buffer.from([0xfb]));
      continue;
    }
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    if (bytes.length < 0xfb) parts.push(Buffer.from([bytes.length]));
    else if (bytes.length < 0x10000) parts.push(Buffer.from([0xfc, bytes.length & 0xff, bytes.length >> 8]));
    else parts.push(Buffer.from([0xfd, bytes.length & 0xff, (bytes.length >> 8) & 0xff, bytes.length >> 16]));
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

function transcode(cells: CsvCell[], rows: (string | Buffer | null)[][], chunkBytes?: number): string {
  const chunks: Buffer[] = [];
  const writer = new CsvRowWriter(cells, (chunk) => chunks.push(chunk), chunkBytes ? { chunkBytes } : {});
  for (const row of rows) {
    // A packet's payload sits inside a larger buffer, after a 4-byte header.
    const payload = Buffer.concat([Buffer.from([9, 9, 9, 9]), rowPayload(row), Buffer.from([7])]);
    writer.row(payload, 4, payload.length - 1);
  }
  writer.flush();
  return Buffer.concat(chunks).toString('utf8');
}

it('writes NULL as an empty field and text always quoted, quotes doubled', () => {
  expect(transcode(['plain', 'text', 'text', 'text'], [['42', '', null, 'say "hi",\r\nbye']])).toBe(
    '42,"",,"say ""hi"",\r\nbye"\n',
  );
});

it('reads 2- and 3-byte value lengths', () => {
  const long = 'x'.repeat(300);
  const longer = 'y'.repeat(70_000);
  expect(transcode(['text', 'text'], [[long, longer]])).toBe(`"${long}","${longer}"\n`);
});

it('writes bytes as \\x hex, an empty value as \\x', () => {
  expect(
    transcode(['bytes', 'bytes', 'bytes'], [[Buffer.from([0, 0xff, 0x2c]), Buffer.alloc(0), null]]),
  ).toBe('\\x00ff2c,\\x,\n');
});

it('maps TINYINT(1), BIT(1) and BIT(n)', () => {
  expect(
    transcode(
      ['boolean', 'boolean', 'boolean', 'bit-boolean', 'bits', 'bits'],
      [['0', '1', '-5', Buffer.from([1]), Buffer.from([0x02, 0xaa]), Buffer.alloc(8, 0xff)]],
    ),
  ).toBe('false,true,true,true,682,18446744073709551615\n');
});

it('turns zero dates into NULL and marks TIMESTAMP text as UTC', () => {
  expect(
    transcode(
      ['date', 'date', 'utc-timestamp', 'utc-timestamp'],
      [['0000-00-00', '2024-02-29', '0000-00-00 00:00:00', '2038-01-19 03:14:07.999']],
    ),
  ).toBe(',2024-02-29,,2038-01-19 03:14:07.999+00\n');
});

it('hands on full chunks, never splitting a row', () => {
  const rows = Array.from({ length: 50 }, (_, index) => [String(index), `name-${index}`]);
  const chunks: string[] = [];
  const writer = new CsvRowWriter(['plain', 'text'], (chunk) => chunks.push(chunk.toString()), {
    chunkBytes: 64,
  });
  for (const row of rows) {
    const payload = rowPayload(row);
    writer.row(payload, 0, payload.length);
  }
  writer.flush();
  expect(chunks.length).toBeGreaterThan(1);
  for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
  expect(chunks.join('')).toBe(rows.map(([id, name]) => `${id},"${name}"\n`).join(''));
});

it('refuses a row longer than the reader accepts, with a hint', () => {
  const writer = new CsvRowWriter(['text'], () => undefined, { maxLineBytes: 100 });
  const payload = rowPayload(['z'.repeat(200)]);
  let error: unknown;
  try {
    writer.row(payload, 0, payload.length);
  } catch (caught) {
    error = caught;
  }
  expect(isOsirisError(error) && error.code).toBe('E_SOURCE_READ_FAILED');
  expect((error as { hint?: string }).hint).toContain('columns');
});
