/**
 * JSON text of a JS value with exact numbers: a bigint is written as its digits (JSON.stringify
 * throws on bigint, and converting to a double would round values beyond 2^53). Dates become
 * ISO strings, bytes become base64 strings, non-finite numbers become null (JSON has no NaN).
 */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
    case 'string':
      return JSON.stringify(value);
    case 'object':
      return objectJsonText(value);
    default:
      return 'null';
  }
}

function objectJsonText(value: object): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return `{${entries.map(([key, item]) => `${JSON.stringify(String(key))}:${jsonText(item)}`).join(',')}}`;
}
