import { statSync } from 'node:fs';

/**
 * A file as the discovery cache key sees it: a rewritten database or CSV (new size or
 * modification time) is rediscovered.
 */
export function fileIdentity(file: string): { file: string; size: number; modified_ms: number } {
  const stats = statSync(file);
  return { file, size: stats.size, modified_ms: Math.trunc(stats.mtimeMs) };
}
