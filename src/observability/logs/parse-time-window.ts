import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `30d`, `12h`, `90m`, `2w`, `45s` → milliseconds; undefined when `text` is not in that form. */
export function parseRelativeDuration(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([smhdw])\s*$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_MS[(match[2] ?? '').toLowerCase()] ?? 0);
}

/**
 * `--since`: an ISO date/time or a relative age (`7d` = seven days before `now`), returned as an
 * ISO timestamp comparable with the index's `started_at`.
 */
export function parseSince(text: string, now: Date = new Date(), option = '--since'): string {
  const relative = parseRelativeDuration(text);
  if (relative !== undefined) return new Date(now.getTime() - relative).toISOString();
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  throw new OsirisError(ErrorCodes.USAGE, `${option} expects a date or an age, got '${text}'.`, {
    hint: `Examples: ${option} 7d, ${option} 12h, ${option} 2024-06-01, ${option} 2024-06-01T08:00:00Z`,
  });
}

/** `--older-than 30d`: an age only (a date would read ambiguously as "older than"). */
export function parseAge(text: string, option = '--older-than'): number {
  const relative = parseRelativeDuration(text);
  if (relative === undefined) {
    throw new OsirisError(ErrorCodes.USAGE, `${option} expects an age such as 30d, got '${text}'.`, {
      hint: `Units: s, m, h, d, w. Example: ${option} 30d`,
    });
  }
  return relative;
}
