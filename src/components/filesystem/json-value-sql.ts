import { quotedString } from '@duckdb/node-api';

/** What the JSON writer does with a FLOAT/DOUBLE NaN or ±Infinity, which JSON has no number for. */
export type NonFinitePolicy = 'string' | 'null' | 'error';

/** Marks the message of the DuckDB `error()` the `error` policy raises, so the writer can recognise it. */
export const NON_FINITE_MARKER = 'osiris-non-finite';

/**
 * SQL giving the JSON text of `expression` (a value of DuckDB type `type`), or SQL NULL when the
 * value is SQL NULL. DuckDB's own JSON output re-parses JSON documents and prints floats through
 * a double, so these types are spelled out here:
 * - JSON: the document's text verbatim (its numbers keep every digit); line breaks, which JSON
 *   only allows between tokens, become spaces so a row stays on one line. A JSON `null` document
 *   is the text `null`, unlike SQL NULL (see the writer's `omit_nulls`).
 * - FLOAT/DOUBLE: the shortest text that reads back as the same value at the column's width
 *   (REAL 1.1 is `1.1`, not `1.100000023841858`); NaN/±Infinity per `nonFinite`.
 * - timestamps: ISO 8601 text (`2024-01-02T03:04:05.5`, TIMESTAMPTZ in UTC with `Z`).
 * - BLOB: base64 text.
 * - lists and structs holding any of these: element by element, field by field, the same way.
 * Everything else is DuckDB's `to_json` (exact for BIGINT, HUGEINT and DECIMAL; MAP values too,
 * so floats inside a MAP are printed as doubles).
 */
export function jsonValueSql(
  expression: string,
  type: string,
  column: string,
  nonFinite: NonFinitePolicy,
  depth = 0,
): string {
  const list = /^(.*)\[\d*\]$/.exec(type);
  if (list) {
    const elementType = list[1] ?? '';
    if (!needsOwnSpelling(elementType)) return `CAST(to_json(${expression}) AS VARCHAR)`;
    const element = `osiris_e${depth}`;
    const elementJson = jsonValueSql(element, elementType, column, nonFinite, depth + 1);
    return (
      `CASE WHEN ${expression} IS NULL THEN NULL ELSE '[' || array_to_string(` +
      `list_transform(${expression}, ${element} -> coalesce(${elementJson}, 'null')), ',') || ']' END`
    );
  }
  const fields = structFields(type);
  if (fields) {
    if (!needsOwnSpelling(type)) return `CAST(to_json(${expression}) AS VARCHAR)`;
    const members = fields.map(([name, fieldType]) => {
      const value = jsonValueSql(
        `struct_extract(${expression}, ${quotedString(name)})`,
        fieldType,
        `${column}.${name}`,
        nonFinite,
        depth + 1,
      );
      return `${quotedString(`${JSON.stringify(name)}:`)} || coalesce(${value}, 'null')`;
    });
    return `CASE WHEN ${expression} IS NULL THEN NULL ELSE '{' || concat_ws(',', ${members.join(', ')}) || '}' END`;
  }
  const isoText = `regexp_replace(CAST(${expression} AS VARCHAR), ' ', 'T')`;
  switch (type) {
    case 'JSON':
      return `replace(replace(CAST(${expression} AS VARCHAR), chr(13), ' '), chr(10), ' ')`;
    case 'FLOAT':
    case 'DOUBLE':
      return (
        `CASE WHEN isfinite(${expression}) THEN CAST(${expression} AS VARCHAR) ` +
        `WHEN ${expression} IS NULL THEN NULL ELSE ${nonFiniteSql(expression, type, column, nonFinite)} END`
      );
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
      return `CAST(to_json(${isoText}) AS VARCHAR)`;
    // The session time zone is UTC, so a TIMESTAMPTZ always renders with `+00`.
    case 'TIMESTAMP WITH TIME ZONE':
      return `CAST(to_json(regexp_replace(${isoText}, '\\+00$', 'Z')) AS VARCHAR)`;
    case 'BLOB':
      return `CAST(to_json(base64(${expression})) AS VARCHAR)`;
    default:
      return `CAST(to_json(${expression}) AS VARCHAR)`;
  }
}

function needsOwnSpelling(type: string): boolean {
  if (/^(JSON|FLOAT|DOUBLE|BLOB|TIMESTAMP.*)$/.test(type)) return true;
  const list = /^(.*)\[\d*\]$/.exec(type);
  if (list) return needsOwnSpelling(list[1] ?? '');
  return structFields(type)?.some(([, fieldType]) => needsOwnSpelling(fieldType)) ?? false;
}

/**
 * The fields of a DuckDB `STRUCT(a INTEGER, "b c" DOUBLE[], d STRUCT(e JSON))` type, or undefined
 * for any other type.
 */
export function structFields(type: string): [string, string][] | undefined {
  if (!type.startsWith('STRUCT(') || !type.endsWith(')')) return undefined;
  const body = type.slice('STRUCT('.length, -1);
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '(') depth += 1;
    else if (!quoted && char === ')') depth -= 1;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(body.slice(start, index).trim());
      start = index + 1;
    }
  }
  parts.push(body.slice(start).trim());
  const fields: [string, string][] = [];
  for (const part of parts) {
    const field = /^(?:"((?:[^"]|"")*)"|(\S+)) (.+)$/s.exec(part);
    if (!field) return undefined;
    fields.push([field[1] === undefined ? (field[2] ?? '') : field[1].replaceAll('""', '"'), field[3] ?? '']);
  }
  return fields;
}

function nonFiniteSql(expression: string, type: string, column: string, policy: NonFinitePolicy): string {
  if (policy === 'null') return `'null'`;
  if (policy === 'error') {
    const message = `${NON_FINITE_MARKER}: column ${JSON.stringify(column)} (${type}) holds NaN or Infinity`;
    return `error(${quotedString(message)})`;
  }
  return `CASE WHEN isnan(${expression}) THEN '"NaN"' WHEN ${expression} > 0 THEN '"Infinity"' ELSE '"-Infinity"' END`;
}
