/** A row of `pg_type`, as far as the mapping needs it. */
export interface PostgresTypeRow {
  oid: number;
  name: string;
  /** typtype: b base, d domain, e enum, c composite, r range, m multirange, p pseudo. */
  kind: string;
  /** typcategory: A array, N numeric, S string, ... */
  category: string;
  elementOid: number;
  baseOid: number;
  baseTypmod: number;
}

/**
 * How one PostgreSQL column travels: what the COPY query selects (`source`), which type
 * DuckDB's CSV reader parses the text as (`csvType`), how the parsed value becomes the final
 * value (`load`), and the final DuckDB type.
 */
export interface ColumnMapping {
  postgresType: string;
  duckdbType: string;
  csvType: string;
  source: 'plain' | 'array-as-json';
  load: 'plain' | 'hex-to-blob' | 'json-to-list';
  /** Unconstrained `numeric`: loaded as exact text, then narrowed to a DECIMAL that holds every value. */
  inferDecimal: boolean;
}

const PLAIN_TYPES: Readonly<Record<string, string>> = {
  bool: 'BOOLEAN',
  int2: 'SMALLINT',
  int4: 'INTEGER',
  int8: 'BIGINT',
  oid: 'BIGINT',
  xid: 'BIGINT',
  cid: 'BIGINT',
  float4: 'FLOAT',
  float8: 'DOUBLE',
  text: 'VARCHAR',
  varchar: 'VARCHAR',
  bpchar: 'VARCHAR',
  char: 'VARCHAR',
  name: 'VARCHAR',
  citext: 'VARCHAR',
  date: 'DATE',
  time: 'TIME',
  timetz: 'TIMETZ',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPTZ',
  interval: 'INTERVAL',
  json: 'JSON',
  jsonb: 'JSON',
  uuid: 'UUID',
};

/** DuckDB DECIMAL holds at most 38 digits. */
export const MAX_DECIMAL_PRECISION = 38;

/**
 * Map a result column's type (oid + typmod, as the server describes it) to DuckDB. Domains map
 * as their base type, enums and anything without an exact DuckDB counterpart (money, inet,
 * ranges, composites, geometric types, xml, tsvector, ...) as VARCHAR holding PostgreSQL's text.
 */
export function mapPostgresType(
  oid: number,
  typmod: number,
  catalog: ReadonlyMap<number, PostgresTypeRow>,
): ColumnMapping {
  const row = catalog.get(oid);
  if (!row) return text(`oid ${oid}`);
  if (row.kind === 'd' && row.baseOid !== 0) {
    const base = mapPostgresType(row.baseOid, row.baseTypmod, catalog);
    return { ...base, postgresType: `${row.name} (domain over ${base.postgresType})` };
  }
  if (row.category === 'A' && row.elementOid !== 0) return mapArray(row, typmod, catalog);
  if (row.kind === 'e') return text(row.name);
  if (row.name === 'numeric') return mapNumeric(typmod);
  if (row.name === 'bytea') {
    return {
      postgresType: 'bytea',
      duckdbType: 'BLOB',
      csvType: 'VARCHAR',
      source: 'plain',
      load: 'hex-to-blob',
      inferDecimal: false,
    };
  }
  const duckdbType = row.kind === 'b' || row.kind === 'p' ? PLAIN_TYPES[row.name] : undefined;
  if (!duckdbType) return text(row.name);
  return {
    postgresType: row.name,
    duckdbType,
    csvType: duckdbType,
    source: 'plain',
    load: 'plain',
    inferDecimal: false,
  };
}

/**
 * numeric(p,s) → DECIMAL(p,s) when it fits in 38 digits. PostgreSQL 15 also allows a negative
 * scale (rounding to tens, hundreds...) and a scale above the precision; both still describe a
 * number of integer and fraction digits, which is what DECIMAL needs.
 */
function mapNumeric(typmod: number): ColumnMapping {
  if (typmod < 4) {
    return {
      postgresType: 'numeric',
      duckdbType: 'VARCHAR',
      csvType: 'VARCHAR',
      source: 'plain',
      load: 'plain',
      inferDecimal: true,
    };
  }
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = ((((typmod - 4) & 0x7ff) ^ 1024) - 1024) as number;
  const postgresType = `numeric(${precision},${scale})`;
  const fraction = Math.max(scale, 0);
  const integerDigits = Math.max(precision - scale, 0);
  const width = integerDigits + fraction;
  if (width > MAX_DECIMAL_PRECISION) return { ...text(postgresType) };
  const duckdbType = `DECIMAL(${Math.max(width, 1)},${fraction})`;
  return {
    postgresType,
    duckdbType,
    csvType: duckdbType,
    source: 'plain',
    load: 'plain',
    inferDecimal: false,
  };
}

/**
 * Arrays become DuckDB lists when the element maps to a plain DuckDB type. PostgreSQL sends
 * them as JSON arrays of element text (`array_to_json(col::text[])`), so each element goes
 * through the same exact text parsing as a scalar column, NULL elements included.
 * Multi-dimensional arrays are not lists of lists in PostgreSQL's type system: read them as text
 * (`col::text`) in a query.
 */
function mapArray(
  row: PostgresTypeRow,
  typmod: number,
  catalog: ReadonlyMap<number, PostgresTypeRow>,
): ColumnMapping {
  const element = mapPostgresType(row.elementOid, typmod, catalog);
  const postgresType = `${element.postgresType}[]`;
  if (element.load !== 'plain') return text(postgresType);
  return {
    postgresType,
    duckdbType: `${element.duckdbType}[]`,
    csvType: 'VARCHAR',
    source: 'array-as-json',
    load: 'json-to-list',
    inferDecimal: false,
  };
}

function text(postgresType: string): ColumnMapping {
  return {
    postgresType,
    duckdbType: 'VARCHAR',
    csvType: 'VARCHAR',
    source: 'plain',
    load: 'plain',
    inferDecimal: false,
  };
}

/** `format_type` names (as PostgREST's OpenAPI `format` gives them) → `pg_type.typname`. */
const FORMAT_TYPE_NAMES: Readonly<Record<string, string>> = {
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  '"char"': 'char',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
};

/**
 * Map a type known only by name (`bigint`, `timestamp with time zone`, `text[]`, `numeric`...),
 * e.g. from PostgREST's OpenAPI description. Without a typmod, `numeric` is narrowed after loading.
 * Names that are not built-in types (enums, domains, extension types) map to VARCHAR.
 */
export function mapPostgresTypeName(formatName: string): ColumnMapping {
  const name = formatName.trim();
  const isArray = name.endsWith('[]');
  const elementName = isArray ? name.slice(0, -2) : name;
  const typname = FORMAT_TYPE_NAMES[elementName] ?? elementName.replace(/\(.*\)$/, '');
  const catalog = new Map<number, PostgresTypeRow>([
    [1, { oid: 1, name: typname, kind: 'b', category: '', elementOid: 0, baseOid: 0, baseTypmod: -1 }],
    [2, { oid: 2, name: `_${typname}`, kind: 'b', category: 'A', elementOid: 1, baseOid: 0, baseTypmod: -1 }],
  ]);
  const mapping = mapPostgresType(isArray ? 2 : 1, -1, catalog);
  return { ...mapping, postgresType: name };
}
