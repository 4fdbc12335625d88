import { randomBytes } from 'node:crypto';

/** Sortable by start time, unique without coordination: `run_20261124T222300123Z_a1b2c3`. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `run_${stamp}_${randomBytes(3).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return /^run_\d{8}T\d{9}Z_[0-9a-f]{6}$/.test(value);
}
