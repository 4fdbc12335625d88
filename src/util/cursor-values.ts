import type { CursorKind } from '../spec/incremental.js';

/**
 * Cursor values of incremental extraction travel and rest as text (a bigint stays exact, a
 * timestamp keeps its microseconds). These helpers order them and step back by a lag.
 */

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const INTEGER_TEXT = /^-?\d+$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** The kind of a data-plane (DuckDB) column type, or undefined for a type a cursor cannot be. */
export function cursorKindOfType(duckdbType: string): CursorKind | undefined {
  const type = duckdbType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type))
    return 'integer';
  if (type === 'DATE') return 'date';
  if (type === 'TIMESTAMP WITH TIME ZONE' || type === 'TIMESTAMPTZ') return 'timestamptz';
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(type)) return 'timestamp';
  if (type === 'VARCHAR') return 'text';
  return undefined;
}

/** The kind a value written in OML (`initial_value`, `end_value`, `osiris state set`) looks like. */
export function kindOfLiteral(value: string | number): CursorKind {
  const text = String(value).trim();
  if (typeof value === 'number' || INTEGER_TEXT.test(text)) return 'integer';
  if (DATE_TEXT.test(text)) return 'date';
  if (TIMESTAMP_TEXT.test(text)) return 'timestamp';
  return 'text';
}

/** Microseconds since 1970 (UTC; an offset in the text is applied), or undefined if not a date/time. */
export function timestampMicros(text: string): bigint | undefined {
  const match = TIMESTAMP_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const millis = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), 0);
  const micros = BigInt(`${fraction.slice(1)}000000`.slice(0, 6) || '0');
  let total = BigInt(millis) * 1000n + BigInt(second) * 1_000_000n + micros;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
    total -= sign * offsetMinutes * 60_000_000n;
  }
  return total;
}

/** Negative, zero or positive as `left` orders before, with or after `right`. */
export function compareCursorValues(left: string, right: string, kind: CursorKind): number {
  if (kind === 'integer' && INTEGER_TEXT.test(left.trim()) && INTEGER_TEXT.test(right.trim())) {
    const a = BigInt(left.trim());
    const b = BigInt(right.trim());
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (kind !== 'text') {
    const a = timestampMicros(left);
    const b = timestampMicros(right);
    if (a !== undefined && b !== undefined) return a < b ? -1 : a > b ? 1 : 0;
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * `value` moved back by `lag`: units for integers, seconds for dates and timestamps (a date steps
 * back by whole days, rounding the lag up). Text cursors have no arithmetic and stay as they are.
 * The result keeps the value's own shape (fraction digits, offset), so sources compare it as given.
 */
export function subtractLag(value: string, lag: number, kind: CursorKind): string {
  if (!lag || lag <= 0) return value;
  if (kind === 'integer' && INTEGER_TEXT.test(value.trim())) {
    return (BigInt(value.trim()) - BigInt(Math.ceil(lag))).toString();
  }
  const match = TIMESTAMP_TEXT.exec(value.trim());
  if (!match || kind === 'text') return value;
  const [, year, month, day, hour, minute, second, fraction = '', zone = ''] = match;
  if (hour === undefined || kind === 'date') {
    const days = Math.ceil(lag / 86_400);
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day) - days));
    return date.toISOString().slice(0, 10);
  }
  const moved = new Date(
    Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second ?? 0),
    ) -
      Math.ceil(lag) * 1000,
  );
  const text = moved.toISOString().slice(0, 19).replace('T', ' ');
  return `${text}${fraction}${zone}`;
}

/**
 * A timestamp value as a source without time zones (MySQL DATETIME) compares it: UTC wall time,
 * no offset. Sessions of every Osiris connection run in UTC, so this is the same instant.
 */
export function withoutUtcOffset(value: string): string {
  const match = TIMESTAMP_TEXT.exec(value.trim());
  if (!match?.[8] || match[4] === undefined) return value;
  const micros = timestampMicros(value);
  if (micros === undefined) return value;
  const millis = Number(micros / 1000n);
  const fraction = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const base = new Date(millis - (((millis % 1000) + 1000) % 1000))
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');
  return fraction === 0n ? base : `${base}.${fraction.toString().padStart(6, '0').replace(/0+$/, '')}`;
}
