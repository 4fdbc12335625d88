import mysql, { type FieldPacket } from 'mysql2';

/** The protocol's type names (mysql2's `typeName`) as the SQL type names users know. */
const SQL_NAMES: Readonly<Record<string, string>> = {
  DECIMAL: 'decimal',
  NEWDECIMAL: 'decimal',
  TINY: 'tinyint',
  SHORT: 'smallint',
  LONG: 'int',
  INT24: 'mediumint',
  LONGLONG: 'bigint',
  FLOAT: 'float',
  DOUBLE: 'double',
  NULL: 'null',
  TIMESTAMP: 'timestamp',
  TIMESTAMP2: 'timestamp',
  DATE: 'date',
  NEWDATE: 'date',
  TIME: 'time',
  TIME2: 'time',
  DATETIME: 'datetime',
  DATETIME2: 'datetime',
  YEAR: 'year',
  BIT: 'bit',
  JSON: 'json',
  ENUM: 'enum',
  SET: 'set',
  GEOMETRY: 'geometry',
  VECTOR: 'vector',
};
/** Character set number 63 means "binary": the column holds bytes, not text. */
const BINARY_CHARSET = 63;

export function mysqlResultType(field: FieldPacket): string {
  const code = field.columnType ?? field.type;
  const typeName =
    field.typeName ??
    (code === undefined ? '' : ((mysql.Types as unknown as Record<number, string>)[code] ?? ''));
  if (field.extendedFormat === 'json') return 'json';
  if (field.extendedTypeName) return field.extendedTypeName;
  const binary = field.characterSet === BINARY_CHARSET;
  switch (typeName) {
    case 'VARCHAR':
    case 'VAR_STRING':
      return binary ? 'varbinary' : 'varchar';
    case 'STRING':
      return binary ? 'binary' : 'char';
    case 'TINY_BLOB':
    case 'MEDIUM_BLOB':
    case 'LONG_BLOB':
    case 'BLOB':
      return binary ? 'blob' : 'text';
    default:
      return SQL_NAMES[typeName] ?? (typeName.toLowerCase() || 'unknown');
  }
}
