import path from 'node:path';
import { databaseFilePath } from '../../connections/database-file-path.js';
import { readDuckdbCatalog } from '../../discovery/catalog/duckdb-catalog.js';
import type { DiscoveryConnection, OpenSessionOptions } from '../../discovery/readonly-session.js';
import { openDuckdbSession } from '../../discovery/sessions/duckdb-readonly-session.js';
import type { ResolvedConnection } from '../../spec/connection.js';

/** A `@duckdb.alias` connection: its `path` (relative to the project) opened read-only. */
export async function openDuckdbDiscovery(
  connection: ResolvedConnection,
  projectDir: string,
  options: OpenSessionOptions,
): Promise<DiscoveryConnection> {
  const file = databaseFilePath(connection, projectDir);
  // Views over project files (read_parquet('data/…')) keep working; nothing else on disk is reachable.
  const session = await openDuckdbSession(
    { ref: connection.ref, file, allowedDirectories: [`${path.resolve(projectDir)}${path.sep}`] },
    options,
  );
  return { session, readCatalog: (filter) => readDuckdbCatalog(session, filter) };
}
