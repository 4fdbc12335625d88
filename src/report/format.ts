/** Number formatting shared by the terminal views and the HTML report, so both read the same. */

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return `${hours}h ${String(minutes).padStart(2, '0')}m`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Rows per second, or undefined when the step was too short to say anything meaningful. */
export function rowsPerSecond(rows: number, durationMs: number | null | undefined): number | undefined {
  if (!durationMs || durationMs <= 0 || rows <= 0) return undefined;
  return (rows * 1000) / durationMs;
}

export function formatRate(rows: number, durationMs: number | null | undefined): string {
  const rate = rowsPerSecond(rows, durationMs);
  if (rate === undefined) return '–';
  return rate >= 100 ? formatCount(rate) : rate.toFixed(1);
}

/** `2026-01-02 10:11:12` in the viewer's local time zone (or UTC when asked). */
export function formatTimestamp(iso: string | null | undefined, options: { utc?: boolean } = {}): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, '0');
  const parts = options.utc
    ? [
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours(),
        date.getUTCMinutes(),
        date.getUTCSeconds(),
      ]
    : [
        date.getFullYear(),
        date.getMonth() + 1,
        date.getDate(),
        date.getHours(),
        date.getMinutes(),
        date.getSeconds(),
      ];
  const [year, month, day, hours, minutes, seconds] = parts.map((part) => pad(part ?? 0));
  return `${year}-${month}-${day} ${hours}:${minutes}:${seconds}${options.utc ? ' UTC' : ''}`;
}
