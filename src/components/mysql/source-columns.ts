import type { FieldPacket } from 'mysql2';
import type { ColumnInfo } from '../../spec/driver.js';
import type { CsvCell } from './csv-row-writer.js';

/** A result column as the data plane sees it, plus how its text-protocol bytes become a CSV field. */
export interface SourceColumn {
  info: ColumnInfo;
  cell: CsvCell;
  /** The column's MySQL type, for messages (`NEWDECIMAL`, `DATETIME`, ...). */
  mysqlType: string;
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
const TYPE_NAMES = new Map<number, string>(Object.entries(Types).map(([name, code]) => [code, name]));
const UNSIGNED_FLAG = 32;
const BINARY_CHARSET = 63;
/** DuckDB's widest DECIMAL; MySQL allows 65 digits. */
const DUCKDB_MAX_DECIMAL_PRECISION = 38;

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

function column(field: FieldPacket, type: string, cell: CsvCell): SourceColumn {
  const name = TYPE_NAMES.get(field.columnType ?? field.type ?? -1) ?? (cell === 'bytes' ? 'BLOB' : 'TEXT');
  return { info: { name: field.name, type, nullable: true }, cell, mysqlType: name };
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
      if (field.columnLength === 1 && !unsigned) return column(field, 'BOOLEAN', 'boolean');
      return column(field, unsigned ? 'UTINYINT' : 'TINYINT', 'plain');
    case Types.SHORT:
      return column(field, unsigned ? 'USMALLINT' : 'SMALLINT', 'plain');
    case Types.INT24:
      return column(field, 'INTEGER', 'plain');
    case Types.LONG:
      return column(field, unsigned ? 'UINTEGER' : 'INTEGER', 'plain');
    case Types.LONGLONG:
      return column(field, unsigned ? 'UBIGINT' : 'BIGINT', 'plain');
    case Types.YEAR:
      return column(field, 'SMALLINT', 'plain');
    case Types.FLOAT:
      return column(field, 'FLOAT', 'plain');
    case Types.DOUBLE:
      return column(field, 'DOUBLE', 'plain');
    case Types.DECIMAL:
    case Types.NEWDECIMAL: {
      const precision = decimalPrecision(field);
      if (precision > DUCKDB_MAX_DECIMAL_PRECISION) return column(field, 'VARCHAR', 'text');
      return column(field, `DECIMAL(${precision},${field.decimals})`, 'plain');
    }
    case Types.DATE:
    case Types.NEWDATE:
      return column(field, 'DATE', 'date');
    case Types.DATETIME:
      return column(field, 'TIMESTAMP', 'date');
    case Types.TIMESTAMP:
      return column(field, 'TIMESTAMP WITH TIME ZONE', 'utc-timestamp');
    case Types.TIME:
      // MySQL TIME spans -838:59:59 to 838:59:59 (a duration); DuckDB TIME is a time of day.
      return column(field, 'INTERVAL', 'plain');
    case Types.BIT:
      if (field.columnLength === 1) return column(field, 'BOOLEAN', 'bit-boolean');
      return column(field, 'UBIGINT', 'bits');
    case Types.JSON:
      return column(field, 'JSON', 'text');
    case Types.GEOMETRY:
      return column(field, 'BLOB', 'bytes');
    case Types.NULL:
      return column(field, 'VARCHAR', 'text');
    default:
      if (field.extendedFormat === 'json') return column(field, 'JSON', 'text');
      return binary ? column(field, 'BLOB', 'bytes') : column(field, 'VARCHAR', 'text');
  }
}
