import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataPlane } from '../../spec/driver.js';

export interface BorrowedConnection {
  connection: DuckDBConnection;
  release(): void;
}

/**
 * A DuckDB connection of our own when the data plane offers one (`connect()`, outside the
 * shared contract): a long COPY then neither waits behind nor blocks other steps' statements,
 * and interrupting it cannot hit anyone else's. Otherwise the shared connection.
 */
export async function borrowDuckdbConnection(dataPlane: DataPlane): Promise<BorrowedConnection> {
  const connect = (dataPlane as { connect?: () => Promise<DuckDBConnection> }).connect;
  if (typeof connect !== 'function') return { connection: dataPlane.connection, release: () => {} };
  const connection = await connect.call(dataPlane);
  return { connection, release: () => connection.closeSync() };
}
