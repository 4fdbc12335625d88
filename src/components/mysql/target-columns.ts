import type { ColumnInfo } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** How one data-plane column is read out of DuckDB and written into MySQL. */
export interface TargetColumn {
  name: string;
  /** DuckDB type of the input column. */
  sourceType: string;
  /** MySQL type for a table the writer creates (mapping table in README.md). */
  mysqlType: string;
  /** DuckDB expression over the quoted column that yields a value MySQL takes exactly. */
  select: (quotedColumn: string) => string;
  /** From what `select` yields to what the MySQL client escapes into SQL. */
  convert: (value: unknown) => unknown;
}

const raw = (quotedColumn: string) => quotedColumn;
const asText = (quotedColumn: string) => `CAST(${quotedColumn} AS VARCHAR)`;
const identity = (value: unknown) => value;
const nullable = (convert: (value: unknown) => unknown) => (value: unknown) =>
  value === null || value === undefined ? null : convert(value);

/** MySQL cannot store NaN or infinities; say so instead of sending SQL it cannot parse. */
function finiteNumber(columnName: string) {
  return nullable((value) => {
    const number = Number(value);
    if (Number.isFinite(number)) return value;
    throw new OsirisError(
      ErrorCodes.WRITE_FAILED,
      `column ${columnName} holds ${String(value)}, which MySQL cannot store`,
      {
        hint: 'replace it upstream, e.g. with a duckdb.processor: CASE WHEN isfinite(x) THEN x END',
      },
    );
  });
}

/** Signed microseconds → MySQL TIME text `[-]H:MM:SS.ffffff`. */
const microsToTime = nullable((value) => {
  const micros = BigInt(value as bigint | number | string);
  const sign = micros < 0n ? '-' : '';
  const magnitude = micros < 0n ? -micros : micros;
  const seconds = magnitude / 1_000_000n;
  const fraction = String(magnitude % 1_000_000n).padStart(6, '0');
  const hours = seconds / 3600n;
  const minutes = String((seconds / 60n) % 60n).padStart(2, '0');
  const secondsPart = String(seconds % 60n).padStart(2, '0');
  return `${sign}${hours}:${minutes}:${secondsPart}.${fraction}`;
});

const hexToBuffer = nullable((value) => Buffer.from(String(value), 'hex'));

interface Mapping {
  mysqlType: string;
  /** Type to use instead when the column is part of the primary key (MySQL cannot index TEXT/BLOB whole). */
  keyType?: string;
  select: (quotedColumn: string) => string;
  convert?: (value: unknown) => unknown;
}

const INTEGER_TYPES: Readonly<Record<string, string>> = {
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  UTINYINT: 'TINYINT UNSIGNED',
  USMALLINT: 'SMALLINT UNSIGNED',
  UINTEGER: 'INT UNSIGNED',
  UBIGINT: 'BIGINT UNSIGNED',
};

const TEXT: Mapping = { mysqlType: 'LONGTEXT', keyType: 'VARCHAR(255)', select: asText };

function mappingFor(duckdbType: string, columnName: string): Mapping {
  const type = duckdbType.trim().toUpperCase();
  if (/\[\d*\]$/.test(type) || /^(STRUCT|MAP|UNION)\b/.test(type)) {
    return { mysqlType: 'JSON', select: (column) => `CAST(to_json(${column}) AS VARCHAR)` };
  }
  const integer = INTEGER_TYPES[type];
  if (integer) return { mysqlType: integer, select: raw };
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return { mysqlType: `DECIMAL(${decimal[1]},${decimal[2]})`, select: asText };
  switch (type) {
    case 'BOOLEAN':
      return { mysqlType: 'TINYINT(1)', select: raw };
    case 'HUGEINT':
      return { mysqlType: 'DECIMAL(39,0)', select: asText };
    case 'UHUGEINT':
      return { mysqlType: 'DECIMAL(39,0) UNSIGNED', select: asText };
    case 'FLOAT':
      return { mysqlType: 'FLOAT', select: raw, convert: finiteNumber(columnName) };
    case 'DOUBLE':
      return { mysqlType: 'DOUBLE', select: raw, convert: finiteNumber(columnName) };
    case 'DATE':
      return { mysqlType: 'DATE', select: asText };
    case 'TIME':
    case 'TIME WITH TIME ZONE':
      return { mysqlType: 'TIME(6)', select: (column) => `CAST(CAST(${column} AS TIME) AS VARCHAR)` };
    case 'TIMESTAMP_S':
      return { mysqlType: 'DATETIME', select: asText };
    case 'TIMESTAMP_MS':
      return { mysqlType: 'DATETIME(3)', select: asText };
    case 'TIMESTAMP':
    case 'TIMESTAMP_NS':
      return {
        mysqlType: 'DATETIME(6)',
        select: (column) => `CAST(CAST(${column} AS TIMESTAMP) AS VARCHAR)`,
      };
    case 'TIMESTAMP WITH TIME ZONE':
      // Stored as the UTC wall-clock time (sessions run in UTC); DATETIME has no 2038 limit.
      return {
        mysqlType: 'DATETIME(6)',
        select: (column) => `strftime(timezone('UTC', ${column}), '%Y-%m-%d %H:%M:%S.%f')`,
      };
    case 'INTERVAL':
      return {
        mysqlType: 'TIME(6)',
        select: (column) => `CAST(round(epoch(${column}) * 1000000) AS BIGINT)`,
        convert: microsToTime,
      };
    case 'JSON':
      return { mysqlType: 'JSON', select: asText };
    case 'BLOB':
      return {
        mysqlType: 'LONGBLOB',
        keyType: 'VARBINARY(255)',
        select: (column) => `hex(${column})`,
        convert: hexToBuffer,
      };
    case 'UUID':
      return { mysqlType: 'CHAR(36)', select: asText };
    default:
      // VARCHAR, ENUM, BIT and anything newer: their text form.
      return TEXT;
  }
}

export function targetColumn(info: ColumnInfo, inPrimaryKey: boolean): TargetColumn {
  const mapping = mappingFor(info.type, info.name);
  return {
    name: info.name,
    sourceType: info.type,
    mysqlType: inPrimaryKey && mapping.keyType ? mapping.keyType : mapping.mysqlType,
    select: mapping.select,
    convert: mapping.convert ?? identity,
  };
}
