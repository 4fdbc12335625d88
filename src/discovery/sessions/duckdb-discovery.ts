import { databaseFilePath } from '../../connections/probes/database-file-path.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { readDuckdbCatalog } from '../catalog/duckdb-catalog.js';
import type { DiscoveryConnection, OpenSessionOptions } from '../readonly-session.js';
import { openDuckdbSession } from './duckdb-readonly-session.js';

/** A `@duckdb.alias` connection: its `path` (relative to the project) opened read-only. */
export async function openDuckdbDiscovery(
  connection: ResolvedConnection,
  projectDir: string,
  options: OpenSessionOptions,
): Promise<DiscoveryConnection> {
  const file = databaseFilePath(connection, projectDir);
  const session = await openDuckdbSession({ ref: connection.ref, file }, options);
  return { session, readCatalog: (filter) => readDuckdbCatalog(session, filter) };
}
