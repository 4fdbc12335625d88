import { open } from 'node:fs/promises';
import { quotedIdentifier } from '@duckdb/node-api';
import { throwIfCancelled } from '../../runtime/data-plane/step-connection.js';
import type { ColumnInfo, StepContext } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { type CsvFormat, csvField } from './csv-format.js';

const UTF16_LITTLE_ENDIAN_BOM = Buffer.from([0xff, 0xfe]);
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/u;

/**
 * Writes CSV in an encoding DuckDB's COPY cannot produce (UTF-16 with a byte-order mark, as
 * spreadsheet tools expect; latin-1). DuckDB still renders every value as text (the same casts its
 * CSV writer uses), so only quoting and encoding happen here, chunk by chunk.
 */
export async function writeEncodedCsv(
  ctx: StepContext,
  table: string,
  columns: ColumnInfo[],
  format: CsvFormat,
  path: string,
): Promise<number> {
  const select = `SELECT ${columns
    .map((column) => `CAST(${quotedIdentifier(column.name)} AS VARCHAR) AS ${quotedIdentifier(column.name)}`)
    .join(', ')} FROM main.${quotedIdentifier(table)}`;
  const record = (fields: (string | null)[]): string =>
    fields.map((field) => csvField(field, format)).join(format.delimiter) + format.newline;
  const file = await open(path, 'w');
  try {
    if (format.encoding === 'utf-16') await file.write(UTF16_LITTLE_ENDIAN_BOM);
    if (format.header) {
      const names = columns.map((column) => column.name);
      assertEncodable(names, format, columns, 0);
      await file.write(encode(record(names), format));
    }
    let rows = 0;
    for await (const chunk of ctx.dataPlane.readChunks(select)) {
      throwIfCancelled(ctx.signal);
      let text = '';
      for (const row of chunk.rows as (string | null)[][]) {
        rows++;
        assertEncodable(row, format, columns, rows);
        text += record(row);
      }
      await file.write(encode(text, format));
      ctx.progress(rows);
    }
    return rows;
  } finally {
    await file.close();
  }
}

function encode(text: string, format: CsvFormat): Buffer {
  return Buffer.from(text, format.encoding === 'utf-16' ? 'utf16le' : 'latin1');
}

/** latin-1 has 256 characters; anything beyond would silently turn into another one. */
function assertEncodable(
  fields: (string | null)[],
  format: CsvFormat,
  columns: ColumnInfo[],
  row: number,
): void {
  if (format.encoding !== 'latin-1') return;
  const index = fields.findIndex((field) => field !== null && BEYOND_LATIN1.test(field));
  if (index < 0) return;
  const character = BEYOND_LATIN1.exec(fields[index] ?? '')?.[0] ?? '';
  const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const column = columns[index]?.name ?? '';
  throw new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `${row === 0 ? 'The header' : `Row ${row}`}, column "${column}" holds a character (${codePoint}) that latin-1 cannot encode.`,
    {
      hint: 'Write utf-8 or utf-16 instead, or replace the characters in a duckdb.processor step first.',
      details: { row, column, code_point: codePoint },
    },
  );
}
