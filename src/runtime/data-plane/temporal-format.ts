import { civilFromDays } from './calendar.js';

/**
 * Text forms of DuckDB temporal values, as the data plane hands them to JS:
 * - DATE `2024-01-02`; TIME `03:04:05` or `03:04:05.5` (fraction without trailing zeros, as DuckDB
 *   prints it); TIMETZ `03:04:05+02:00`.
 * - TIMESTAMP (no zone) `2024-01-02T03:04:05.123456`; TIMESTAMPTZ in UTC with `Z`:
 *   `2024-01-02T03:04:05.123456Z`. The fraction has at most 6 digits (9 for TIMESTAMP_NS) and
 *   no trailing zeros.
 * - Years outside 1..9999 use ISO 8601 expanded years (`+012345-01-01`, `-000043-03-15`, year 0 = 1 BC).
 * - Infinite values are `infinity` / `-infinity`.
 * For years 1..9999 this is exactly what filesystem.json_writer emits, so JS-side and DuckDB-side
 * outputs agree.
 */

export const NANOS_PER_SECOND = 1_000_000_000n;
export const NANOS_PER_DAY = 86_400n * NANOS_PER_SECOND;

export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** `HH:MM:SS[.fraction]` for a time of day in nanoseconds (24:00:00 included, as DuckDB allows it). */
export function formatTimeOfDay(nanos: bigint): string {
  const seconds = nanos / NANOS_PER_SECOND;
  const fraction = nanos % NANOS_PER_SECOND;
  const hours = seconds / 3600n;
  const minutes = (seconds / 60n) % 60n;
  const text = `${pad2(Number(hours))}:${pad2(Number(minutes))}:${pad2(Number(seconds % 60n))}`;
  if (fraction === 0n) return text;
  return `${text}.${fraction.toString().padStart(9, '0').replace(/0+$/, '')}`;
}

/** ISO 8601 timestamp for nanoseconds since the epoch; `utc` appends `Z`. */
export function formatTimestamp(nanosSinceEpoch: bigint, zone: 'none' | 'utc'): string {
  let days = nanosSinceEpoch / NANOS_PER_DAY;
  let nanosOfDay = nanosSinceEpoch % NANOS_PER_DAY;
  if (nanosOfDay < 0n) {
    nanosOfDay += NANOS_PER_DAY;
    days -= 1n;
  }
  const text = `${formatDate(Number(days))}T${formatTimeOfDay(nanosOfDay)}`;
  return zone === 'utc' ? `${text}Z` : text;
}

/** `+HH:MM` (or `+HH:MM:SS` when the offset has seconds) for an offset east of UTC in seconds. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const absolute = Math.abs(offsetSeconds);
  const text = `${sign}${pad2(Math.floor(absolute / 3600))}:${pad2(Math.floor(absolute / 60) % 60)}`;
  return absolute % 60 === 0 ? text : `${text}:${pad2(absolute % 60)}`;
}

function formatYear(year: number): string {
  if (year >= 1 && year <= 9999) return String(year).padStart(4, '0');
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
