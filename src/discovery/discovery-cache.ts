import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { DatabaseProfile } from './types.js';

/** Bumped when the profile's shape or the way it is read changes, so old entries stop matching. */
const CACHE_FORMAT = 1;
/** Sampled values are data: only the user may read them. */
const CACHE_FILE_MODE = 0o600;
const CACHE_FOLDER_MODE = 0o700;

interface CacheEntry {
  format: number;
  key: string;
  profile: DatabaseProfile;
}

/** SHA-256 (hex) of the canonical JSON of everything that decides what discovery returns. */
export function discoveryCacheKey(material: Record<string, unknown>): string {
  return createHash('sha256')
    .update(canonicalJson({ format: CACHE_FORMAT, ...material }), 'utf8')
    .digest('hex');
}

export function discoveryCacheFile(projectDir: string, key: string): string {
  return path.join(projectDir, '.osiris', 'cache', 'discovery', `${key}.json`);
}

/**
 * The cached profile when there is one younger than `ttlMs`. A missing, unreadable or foreign
 * file is a miss: the cache only ever saves work, it never decides an answer.
 */
export async function readCachedProfile(
  file: string,
  key: string,
  ttlMs: number,
  now = Date.now(),
): Promise<DatabaseProfile | undefined> {
  let entry: Partial<CacheEntry>;
  try {
    entry = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheEntry>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (entry.format !== CACHE_FORMAT || entry.key !== key || !entry.profile) return undefined;
  const age = now - Date.parse(entry.profile.discovered_at);
  if (!(age >= 0 && age < ttlMs)) return undefined;
  return { ...entry.profile, cached: true };
}

/** Written atomically (temp file + rename), mode 0600 in a 0700 folder. */
export async function writeCachedProfile(file: string, key: string, profile: DatabaseProfile): Promise<void> {
  const folder = path.dirname(file);
  // Only the discovery folder is private; `.osiris/` itself is shared with other tools.
  await mkdir(path.dirname(folder), { recursive: true });
  await mkdir(folder, { recursive: true, mode: CACHE_FOLDER_MODE });
  const entry: CacheEntry = { format: CACHE_FORMAT, key, profile: { ...profile, cached: false } };
  await writeFileAtomic(file, `${JSON.stringify(entry, null, 2)}\n`, CACHE_FILE_MODE);
  // The mode given at creation is filtered by the umask; make sure it is exactly 0600.
  await chmod(file, CACHE_FILE_MODE);
}
