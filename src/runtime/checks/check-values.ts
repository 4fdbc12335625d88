/** Longer text values in a check's message or sample are cut to this many characters. */
const TEXT_LIMIT = 200;

/** A value as a check message shows it: text quoted, NULL spelled out, long text cut. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  const safe = jsonSafe(value);
  return typeof safe === 'string' ? safe : JSON.stringify(safe);
}

/** A data-plane value as JSON: exact numbers as text, bytes as `\x` hex, long text cut. */
export function jsonSafe(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value.length > TEXT_LIMIT ? `${value.slice(0, TEXT_LIMIT)}…` : value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array)
    return `\\x${Buffer.from(value.subarray(0, TEXT_LIMIT / 2)).toString('hex')}`;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, jsonSafe(item)]));
  }
  return value;
}

/** `93784` → `1d 2h`; `59` → `59s`. */
export function describeAge(seconds: number): string {
  if (seconds < 0) return `${describeAge(-seconds)} in the future, 0s`;
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}
