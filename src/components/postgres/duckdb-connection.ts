import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataPlane } from '../../spec/driver.js';

export interface BorrowedConnection {
  connection: DuckDBConnection;
  /** Stop the statement running on it (the connection is ours, so no other step is hit). */
  interrupt(): void;
  release(): void;
}

/**
 * A DuckDB connection of our own: a long COPY then neither waits behind nor blocks other steps'
 * statements, and interrupting it cannot hit anyone else's.
 */
export async function borrowDuckdbConnection(dataPlane: DataPlane): Promise<BorrowedConnection> {
  const connection = await dataPlane.connect();
  return { connection, interrupt: () => connection.interrupt(), release: () => connection.closeSync() };
}

/**
 * Where to put the named pipe DuckDB reads or writes: the data plane confines DuckDB's file access
 * to the project and its own folder (`enable_external_access = false`), so the pipe lives there.
 */
export function pipeDirectory(dataPlane: DataPlane): string {
  return dataPlane.directory;
}
