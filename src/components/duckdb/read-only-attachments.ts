import { createHash } from 'node:crypto';
import { type DuckDBConnection, quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { DataPlane } from '../../spec/driver.js';

/** Per data plane: database file → its attachment (alias once attached). */
const attachments = new WeakMap<DataPlane, Map<string, Promise<string>>>();

/**
 * Attaches `file` read-only into the data plane once per run and returns its catalog name.
 * DuckDB refuses to attach one file twice, and several steps often read the same demo database,
 * so the attachment is shared and stays until the data plane closes (read-only: it locks nothing
 * another reader needs).
 */
export function attachReadOnly(
  dataPlane: DataPlane,
  connection: DuckDBConnection,
  file: string,
): Promise<string> {
  let byFile = attachments.get(dataPlane);
  if (!byFile) {
    byFile = new Map();
    attachments.set(dataPlane, byFile);
  }
  const existing = byFile.get(file);
  if (existing) return existing;
  const alias = `source_${createHash('sha256').update(file).digest('hex').slice(0, 16)}`;
  const attached = connection
    .run(`ATTACH IF NOT EXISTS ${quotedString(file)} AS ${quotedIdentifier(alias)} (TYPE duckdb, READ_ONLY)`)
    .then(() => alias);
  byFile.set(file, attached);
  // A failed attach (file not a database yet, say) is retried by the next step that asks.
  attached.catch(() => byFile.delete(file));
  return attached;
}
