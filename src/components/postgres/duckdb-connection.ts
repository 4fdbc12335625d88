import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataPlane } from '../../spec/driver.js';

export interface BorrowedConnection {
  connection: DuckDBConnection;
  /** Stop the statement running on it; does nothing on the shared connection, where it could hit another step's. */
  interrupt(): void;
  release(): void;
}

/**
 * A DuckDB connection of our own when the data plane offers one (`connect()`, outside the
 * shared contract): a long COPY then neither waits behind nor blocks other steps' statements,
 * and interrupting it cannot hit anyone else's. Otherwise the shared connection.
 */
export async function borrowDuckdbConnection(dataPlane: DataPlane): Promise<BorrowedConnection> {
  const connect = (dataPlane as { connect?: () => Promise<DuckDBConnection> }).connect;
  if (typeof connect !== 'function') return { connection: dataPlane.connection, interrupt: () => {}, release: () => {} };
  const connection = await connect.call(dataPlane);
  return { connection, interrupt: () => connection.interrupt(), release: () => connection.closeSync() };
}
