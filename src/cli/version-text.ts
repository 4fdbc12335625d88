import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { VERSION } from '../version.js';

/**
 * `osiris --version`: Osiris, Node.js and DuckDB versions, one per line (what a bug report needs).
 * DuckDB's version is read from its package's metadata, so the native library is not loaded.
 */
export function versionText(): string {
  return [`osiris ${VERSION}`, `Node.js ${process.version}`, `DuckDB ${duckdbVersion() ?? 'unknown'}`].join(
    '\n',
  );
}

/** `1.5.6` from @duckdb/node-api `1.5.6-r.1` (its releases follow DuckDB's, plus a revision). */
function duckdbVersion(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@duckdb/node-api');
    for (let folder = path.dirname(entry); path.dirname(folder) !== folder; folder = path.dirname(folder)) {
      const file = path.join(folder, 'package.json');
      let meta: { name?: string; version?: string };
      try {
        meta = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      } catch {
        continue;
      }
      if (meta.name === '@duckdb/node-api' && meta.version) return meta.version.replace(/-r\.\d+$/, '');
    }
  } catch {
    // Not installed next to this CLI: say so rather than fail.
  }
  return undefined;
}
