import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil } from './calendar.js';
import { scaledDecimalFromText } from './decimal-text.js';
import { formatDate, formatTimestamp } from './temporal-format.js';
import { parseDateText, parseTimestampText, parseTimeText } from './temporal-parse.js';

describe('decimal text', () => {
  it('scales exactly, rounding half away from zero', () => {
    expect(scaledDecimalFromText('12.345', 2)).toBe(1235n);
    expect(scaledDecimalFromText('-12.345', 2)).toBe(-1235n);
    expect(scaledDecimalFromText('12.344', 2)).toBe(1234n);
    expect(scaledDecimalFromText('.5', 0)).toBe(1n);
    expect(scaledDecimalFromText('1e-7', 10)).toBe(1000n);
    expect(scaledDecimalFromText('1.5E+3', 1)).toBe(15000n);
    expect(scaledDecimalFromText('12345678901234567890.1234567891', 10)).toBe(
      123456789012345678901234567891n,
    );
    expect(scaledDecimalFromText(' 42 ', 2)).toBe(4200n);
    expect(scaledDecimalFromText('1e-400', 2)).toBe(0n);
  });

  it('refuses what is not a number', () => {
    for (const text of ['', '.', 'abc', '1.2.3', '1e', '--1', 'NaN']) {
      expect(scaledDecimalFromText(text, 2), text).toBeUndefined();
    }
  });
});

describe('calendar and temporal text', () => {
  it('converts days and civil dates both ways across eras', () => {
    for (const days of [-719_468, -1, 0, 59, 11_016, 2_932_896, -2_000_000]) {
      expect(daysFromCivil(civilFromDays(days))).toBe(days);
    }
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(-1)).toBe('1969-12-31');
    expect(formatDate(daysFromCivil({ year: 12_345, month: 6, day: 7 }))).toBe('+012345-06-07');
  });

  it('formats timestamps before the epoch to the right second', () => {
    expect(formatTimestamp(-500_000_000n, 'utc')).toBe('1969-12-31T23:59:59.5Z');
    expect(formatTimestamp(1n, 'none')).toBe('1970-01-01T00:00:00.000000001');
  });

  it('parses timestamps with offsets into UTC and refuses impossible dates', () => {
    const parse = (text: string) => {
      const parsed = parseTimestampText(text);
      return parsed?.kind === 'finite' ? formatTimestamp(parsed.value, 'utc') : parsed;
    };
    expect(parse('2024-01-02T03:04:05.123456+02:00')).toBe('2024-01-02T01:04:05.123456Z');
    expect(parse('2024-01-02 03:04:05-0530')).toBe('2024-01-02T08:34:05Z');
    expect(parse('2024-01-02 01:04:05.1+00')).toBe('2024-01-02T01:04:05.1Z');
    expect(parse('2024-01-02')).toBe('2024-01-02T00:00:00Z');
    expect(parse('infinity')).toEqual({ kind: 'infinity' });
    expect(parse('2023-02-29')).toBeUndefined();
    expect(parse('2024-13-01')).toBeUndefined();
    expect(parse('2024-01-02T25:00')).toBeUndefined();
    expect(parse('yesterday')).toBeUndefined();
  });

  it('parses dates only at midnight, and times of day', () => {
    expect(parseDateText('2024-02-29')).toEqual({ kind: 'finite', value: 19_782 });
    expect(parseDateText('2024-02-29T00:00:00Z')).toEqual({ kind: 'finite', value: 19_782 });
    expect(parseDateText('2024-02-29T10:00:00')).toBeUndefined();
    expect(parseTimeText('24:00:00')).toEqual({ nanos: 86_400_000_000_000n, offsetSeconds: undefined });
    expect(parseTimeText('03:04:05.5+02:00')).toEqual({ nanos: 11_045_500_000_000n, offsetSeconds: 7200 });
    expect(parseTimeText('24:00:01')).toBeUndefined();
  });
});
