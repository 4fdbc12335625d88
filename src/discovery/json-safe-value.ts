/**
 * A value any driver returned, made JSON-safe the same way for every family: bigint → decimal
 * text, Date → ISO-8601, bytes → `\x` hex (PostgreSQL's notation), non-finite numbers → text.
 */
export function jsonSafeValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      return jsonSafeObject(value);
    default:
      return String(value);
  }
}

function jsonSafeObject(value: object): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(jsonSafeValue);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return String(value);
  const record: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) record[key] = jsonSafeValue(item);
  return record;
}
