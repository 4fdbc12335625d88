import type { FieldPacket } from 'mysql2';
import type { ColumnInfo } from '../../spec/driver.js';

/** A result column as the data plane sees it, plus how to turn the driver's value into it. */
export interface SourceColumn {
  info: ColumnInfo;
  convert: (value: unknown) => unknown;
}

// Protocol type codes (mysql2/lib/constants/types.js).
const Types = {
  DECIMAL: 0x00,
  TINY: 0x01,
  SHORT: 0x02,
  LONG: 0x03,
  FLOAT: 0x04,
  DOUBLE: 0x05,
  NULL: 0x06,
  TIMESTAMP: 0x07,
  LONGLONG: 0x08,
  INT24: 0x09,
  DATE: 0x0a,
  TIME: 0x0b,
  DATETIME: 0x0c,
  YEAR: 0x0d,
  NEWDATE: 0x0e,
  BIT: 0x10,
  JSON: 0xf5,
  NEWDECIMAL: 0xf6,
  GEOMETRY: 0xff,
} as const;
const UNSIGNED_FLAG = 32;
const BINARY_CHARSET = 63;
/** DuckDB's widest DECIMAL; MySQL allows 65 digits. */
const DUCKDB_MAX_DECIMAL_PRECISION = 38;

const identity = (value: unknown) => value;
const nullable = (convert: (value: unknown) => unknown) => (value: unknown) =>
  value === null || value === undefined ? null : convert(value);

const toBigInt = nullable((value) => BigInt(String(value)));
const toBoolean = nullable((value) => Number(value) !== 0);
const toText = nullable((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value)));
const toBytes = nullable((value) =>
  Buffer.isBuffer(value) ? new Uint8Array(value) : new TextEncoder().encode(String(value)),
);
/** MySQL's "zero" dates ('0000-00-00') have no DuckDB equivalent: they become NULL. */
const toDateText = nullable((value) => (/^0000-00-00/.test(String(value)) ? null : String(value)));
/** TIMESTAMP values arrive in the session zone, which connectMysql pins to UTC. */
const toUtcTimestampText = nullable((value) =>
  /^0000-00-00/.test(String(value)) ? null : `${String(value)}+00`,
);
/** MySQL TIME text (`-838:59:59.000000` … `838:59:59.000000`) → a DuckDB interval. */
const timeToInterval = nullable((value) => {
  const match = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(String(value));
  if (!match) return String(value); // let the data plane report the unexpected text
  const [, minus, hours, minutes, seconds, fraction = ''] = match;
  const micros =
    ((BigInt(hours!) * 60n + BigInt(minutes!)) * 60n + BigInt(seconds!)) * 1_000_000n +
    BigInt(fraction.padEnd(6, '0'));
  return { months: 0, days: 0, micros: minus ? -micros : micros };
});
/** BIT(n) arrives as big-endian bytes. */
const bitsToBigInt = nullable((value) => {
  const bytes = value as Buffer;
  let result = 0n;
  for (const byte of bytes) result = (result << 8n) | BigInt(byte);
  return result;
});

function flagsOf(field: FieldPacket): number {
  return typeof field.flags === 'number' ? field.flags : 0;
}

/** DECIMAL(p,s) from the wire's display length, which counts the sign and the point. */
function decimalPrecision(field: FieldPacket): number {
  const length = field.columnLength ?? 0;
  const signLength = flagsOf(field) & UNSIGNED_FLAG ? 0 : 1;
  const pointLength = field.decimals > 0 ? 1 : 0;
  return Math.max(1, length - signLength - pointLength);
}

function column(field: FieldPacket, type: string, convert: (value: unknown) => unknown): SourceColumn {
  return { info: { name: field.name, type, nullable: true }, convert };
}

/**
 * MySQL result column → DuckDB column (the mapping table is in README.md). Exactness wins over
 * convenience: BIGINT stays a bigint, DECIMAL a decimal, times keep their text.
 */
export function sourceColumn(field: FieldPacket): SourceColumn {
  const type = field.columnType ?? field.type;
  const unsigned = (flagsOf(field) & UNSIGNED_FLAG) !== 0;
  const binary = field.characterSet === BINARY_CHARSET;
  switch (type) {
    case Types.TINY:
      if (field.columnLength === 1 && !unsigned) return column(field, 'BOOLEAN', toBoolean);
      return column(field, unsigned ? 'UTINYINT' : 'TINYINT', identity);
    case Types.SHORT:
      return column(field, unsigned ? 'USMALLINT' : 'SMALLINT', identity);
    case Types.INT24:
      return column(field, 'INTEGER', identity);
    case Types.LONG:
      return column(field, unsigned ? 'UINTEGER' : 'INTEGER', identity);
    case Types.LONGLONG:
      return column(field, unsigned ? 'UBIGINT' : 'BIGINT', toBigInt);
    case Types.YEAR:
      return column(field, 'SMALLINT', identity);
    case Types.FLOAT:
      return column(field, 'FLOAT', identity);
    case Types.DOUBLE:
      return column(field, 'DOUBLE', identity);
    case Types.DECIMAL:
    case Types.NEWDECIMAL: {
      const precision = decimalPrecision(field);
      if (precision > DUCKDB_MAX_DECIMAL_PRECISION) return column(field, 'VARCHAR', toText);
      return column(field, `DECIMAL(${precision},${field.decimals})`, toText);
    }
    case Types.DATE:
    case Types.NEWDATE:
      return column(field, 'DATE', toDateText);
    case Types.DATETIME:
      return column(field, 'TIMESTAMP', toDateText);
    case Types.TIMESTAMP:
      return column(field, 'TIMESTAMP WITH TIME ZONE', toUtcTimestampText);
    case Types.TIME:
      // MySQL TIME spans -838:59:59 to 838:59:59 (a duration); DuckDB TIME is a time of day.
      return column(field, 'INTERVAL', timeToInterval);
    case Types.BIT:
      if (field.columnLength === 1)
        return column(
          field,
          'BOOLEAN',
          nullable((value) => (value as Buffer)[0] === 1),
        );
      return column(field, 'UBIGINT', bitsToBigInt);
    case Types.JSON:
      return column(field, 'JSON', toText);
    case Types.GEOMETRY:
      return column(field, 'BLOB', toBytes);
    case Types.NULL:
      return column(field, 'VARCHAR', toText);
    default:
      if (field.extendedFormat === 'json') return column(field, 'JSON', toText);
      return binary ? column(field, 'BLOB', toBytes) : column(field, 'VARCHAR', toText);
  }
}

/**
 * Keep GEOMETRY as its raw bytes (WKB) rather than mysql2's parsed points; everything else
 * takes the library's path, configured for exact values in client.ts.
 */
export function typeCast(field: { type: string; buffer: () => Buffer | null }, next: () => unknown): unknown {
  return field.type === 'GEOMETRY' ? field.buffer() : next();
}
