import { describe, expect, it } from 'vitest';
import { parseAge, parseSince } from './parse-time-window.js';

describe('parseSince', () => {
  const now = new Date('2025-03-10T12:00:00Z');

  it('reads relative ages back from now', () => {
    expect(parseSince('7d', now)).toBe('2025-03-03T12:00:00.000Z');
    expect(parseSince('12h', now)).toBe('2025-03-10T00:00:00.000Z');
    expect(parseSince('30m', now)).toBe('2025-03-10T11:30:00.000Z');
    expect(parseSince('2w', now)).toBe('2025-02-24T12:00:00.000Z');
  });

  it('reads ISO dates and date-times', () => {
    expect(parseSince('2025-03-01', now)).toBe('2025-03-01T00:00:00.000Z');
    expect(parseSince('2025-03-01T08:30:00Z', now)).toBe('2025-03-01T08:30:00.000Z');
  });

  it('rejects anything else with a usage error and examples', () => {
    expect(() => parseSince('last week', now)).toThrowError(
      expect.objectContaining({ code: 'E_USAGE', hint: expect.stringContaining('7d') }),
    );
    expect(() => parseSince('2025-13-45', now)).toThrowError(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('parseAge', () => {
  it('accepts ages only', () => {
    expect(parseAge('30d')).toBe(30 * 86_400_000);
    expect(() => parseAge('2025-01-01')).toThrowError(expect.objectContaining({ code: 'E_USAGE' }));
  });
});
