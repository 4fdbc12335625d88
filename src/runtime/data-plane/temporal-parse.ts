import { daysFromCivil, daysInMonth } from './calendar.js';
import { NANOS_PER_DAY, NANOS_PER_SECOND } from './temporal-format.js';

/** Parsed temporal text: a finite value, or one of DuckDB's infinities. */
export type Parsed<T> = { kind: 'finite'; value: T } | { kind: 'infinity' | '-infinity' };

const TIMESTAMP_PATTERN =
  /^([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:(Z|UTC)|([+-])(\d{2})(?::?(\d{2}))?)?$/i;
const TIME_PATTERN =
  /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/i;

/**
 * `YYYY-MM-DD[( |T)HH:MM[:SS[.fffffffff]]][Z|±HH[:MM]]` → nanoseconds since the epoch in UTC
 * (an offset is applied; no offset means the text already is UTC / wall-clock time).
 * `undefined` when the text is not a valid timestamp.
 */
export function parseTimestampText(text: string): Parsed<bigint> | undefined {
  const trimmed = text.trim();
  const infinity = parseInfinity(trimmed);
  if (infinity) return infinity;
  const match = TIMESTAMP_PATTERN.exec(trimmed);
  if (!match) return undefined;
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const timeOfDay = timeOfDayNanos(hourText ?? '0', minuteText ?? '0', secondText, fractionText);
  if (timeOfDay === undefined) return undefined;
  const offset = offsetSeconds(match[8], match[9], match[10], match[11]);
  if (offset === undefined) return undefined;
  const days = BigInt(daysFromCivil({ year, month, day }));
  return { kind: 'finite', value: days * NANOS_PER_DAY + timeOfDay - BigInt(offset) * NANOS_PER_SECOND };
}

/** `YYYY-MM-DD` (or a timestamp at exactly midnight) → days since the epoch. */
export function parseDateText(text: string): Parsed<number> | undefined {
  const parsed = parseTimestampText(text);
  if (parsed?.kind !== 'finite') return parsed;
  if (parsed.value % NANOS_PER_DAY !== 0n) return undefined;
  return { kind: 'finite', value: Number(parsed.value / NANOS_PER_DAY) };
}

/** `HH:MM[:SS[.fffffffff]]` → nanoseconds since midnight, with the offset in seconds if one is given. */
export function parseTimeText(
  text: string,
): { nanos: bigint; offsetSeconds: number | undefined } | undefined {
  const match = TIME_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const nanos = timeOfDayNanos(match[1] ?? '0', match[2] ?? '0', match[3], match[4]);
  if (nanos === undefined) return undefined;
  const hasOffset = match[5] !== undefined || match[6] !== undefined;
  const offset = hasOffset ? offsetSeconds(match[5], match[6], match[7], match[8]) : undefined;
  if (hasOffset && offset === undefined) return undefined;
  return { nanos, offsetSeconds: offset };
}

function timeOfDayNanos(
  hourText: string,
  minuteText: string,
  secondText: string | undefined,
  fractionText: string | undefined,
): bigint | undefined {
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? '0');
  const fraction = BigInt((fractionText ?? '').padEnd(9, '0'));
  if (minute > 59 || second > 59) return undefined;
  // 24:00:00 is the end of the day, which DuckDB accepts; anything later is not a time.
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || fraction > 0n))) return undefined;
  return BigInt(hour * 3600 + minute * 60 + second) * NANOS_PER_SECOND + fraction;
}

function offsetSeconds(
  utcMarker: string | undefined,
  sign: string | undefined,
  hoursText: string | undefined,
  minutesText: string | undefined,
): number | undefined {
  if (utcMarker !== undefined || sign === undefined) return 0;
  const hours = Number(hoursText);
  const minutes = Number(minutesText ?? '0');
  if (hours > 15 || minutes > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
}

function parseInfinity(text: string): { kind: 'infinity' | '-infinity' } | undefined {
  const lower = text.toLowerCase();
  if (lower === 'infinity' || lower === '+infinity') return { kind: 'infinity' };
  if (lower === '-infinity') return { kind: '-infinity' };
  return undefined;
}
