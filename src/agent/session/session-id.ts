import { randomBytes } from 'node:crypto';

/** `chat-20250102-134501-3f9a`: sortable by time, short enough to type after `--session`. */
export function newSessionId(now: Date = new Date()): string {
  const iso = now.toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  return `chat-${date}-${time}-${randomBytes(2).toString('hex')}`;
}
