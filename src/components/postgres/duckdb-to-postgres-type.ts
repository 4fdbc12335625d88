/** A DuckDB column type as the data plane names it (`DECIMAL(10,2)`, `INTEGER[]`, `STRUCT(a INTEGER)`...). */
export type DuckdbType =
  | { kind: 'scalar'; name: string }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'list'; element: DuckdbType }
  /** STRUCT, MAP, UNION: no PostgreSQL counterpart but jsonb. */
  | { kind: 'nested'; name: string }
  | { kind: 'enum' };

/** How the target column takes a list: PostgreSQL array literal, or JSON. */
export type ListTarget = 'array' | 'json';

export function parseDuckdbType(text: string): DuckdbType {
  const type = text.trim();
  const list = /^(.*)\[\d*\]$/s.exec(type);
  if (list && balanced(list[1]!)) return { kind: 'list', element: parseDuckdbType(list[1]!) };
  const upper = type.toUpperCase();
  const nested = /^(STRUCT|MAP|UNION)\s*\(/.exec(upper);
  if (nested) return { kind: 'nested', name: nested[1]! };
  if (upper.startsWith('ENUM(') || upper.startsWith('ENUM (')) return { kind: 'enum' };
  const decimal = /^(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(upper);
  if (decimal) return { kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (upper === 'DECIMAL' || upper === 'NUMERIC') return { kind: 'decimal', precision: 18, scale: 3 };
  return { kind: 'scalar', name: upper };
}

const SCALAR_TO_POSTGRES: Readonly<Record<string, string>> = {
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  TINYINT: 'smallint',
  UTINYINT: 'smallint',
  SMALLINT: 'smallint',
  USMALLINT: 'integer',
  INTEGER: 'integer',
  INT: 'integer',
  UINTEGER: 'bigint',
  BIGINT: 'bigint',
  UBIGINT: 'numeric(20,0)',
  HUGEINT: 'numeric(39,0)',
  UHUGEINT: 'numeric(39,0)',
  VARINT: 'numeric',
  BIGNUM: 'numeric',
  FLOAT: 'real',
  REAL: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  BLOB: 'bytea',
  DATE: 'date',
  TIME: 'time',
  TIME_NS: 'time',
  'TIME WITH TIME ZONE': 'timetz',
  TIMETZ: 'timetz',
  TIMESTAMP: 'timestamp',
  DATETIME: 'timestamp',
  TIMESTAMP_S: 'timestamp',
  TIMESTAMP_MS: 'timestamp',
  TIMESTAMP_NS: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  TIMESTAMPTZ: 'timestamptz',
  INTERVAL: 'interval',
  UUID: 'uuid',
  JSON: 'jsonb',
  BIT: 'varbit',
};

/** Column type for a table the writer creates (`create_if_missing`). */
export function postgresTypeFor(type: DuckdbType): string {
  switch (type.kind) {
    case 'decimal':
      return `numeric(${type.precision},${type.scale})`;
    case 'enum':
      return 'text';
    case 'nested':
      return 'jsonb';
    case 'list':
      return type.element.kind === 'scalar' || type.element.kind === 'decimal' || type.element.kind === 'enum'
        ? `${postgresTypeFor(type.element)}[]`
        : 'jsonb';
    case 'scalar':
      return SCALAR_TO_POSTGRES[type.name] ?? 'text';
  }
}

/**
 * A DuckDB expression whose CSV text PostgreSQL's COPY parses back to the same value. Most
 * types need nothing: DuckDB prints integers, decimals, shortest round-trip floats, dates, times,
 * timestamps, intervals, UUIDs, booleans and JSON in forms PostgreSQL reads exactly. The rest:
 * - BLOB → `\x` + hex (bytea's hex input);
 * - TIMESTAMPTZ → the UTC wall time + `+00`, whatever the session time zone;
 * - STRUCT/MAP/UNION, nested lists, and lists into json/jsonb columns → JSON text;
 * - other lists → an array literal `{"a","b",NULL}`, each element rendered like a scalar and quoted.
 */
export function renderForPostgres(
  type: DuckdbType,
  expression: string,
  listTarget: ListTarget = 'array',
): string {
  switch (type.kind) {
    case 'decimal':
      return expression;
    case 'enum':
      return `CAST(${expression} AS VARCHAR)`;
    case 'nested':
      return `CAST(to_json(${expression}) AS VARCHAR)`;
    case 'list': {
      const element = type.element;
      if (listTarget === 'json' || element.kind === 'list' || element.kind === 'nested') {
        return `CAST(to_json(${expression}) AS VARCHAR)`;
      }
      const item = `CAST(${renderForPostgres(element, 'osiris_item')} AS VARCHAR)`;
      const quoted = `'"' || replace(replace(${item}, '\\', '\\\\'), '"', '\\"') || '"'`;
      return `'{' || array_to_string(list_transform(${expression}, lambda osiris_item: CASE WHEN osiris_item IS NULL THEN 'NULL' ELSE ${quoted} END), ',') || '}'`;
    }
    case 'scalar':
      if (type.name === 'BLOB') return `'\\x' || hex(${expression})`;
      if (type.name === 'TIMESTAMP WITH TIME ZONE' || type.name === 'TIMESTAMPTZ') {
        return `CASE WHEN isfinite(${expression}) THEN CAST(timezone('UTC', ${expression}) AS VARCHAR) || '+00' ELSE CAST(${expression} AS VARCHAR) END`;
      }
      if (type.name === 'BIT') return `CAST(${expression} AS VARCHAR)`;
      return expression;
  }
}

/** True when `text` has as many `(` as `)`, i.e. a trailing `[]` belongs to the whole type. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
  }
  return depth === 0;
}
