import { DuckDBInstance } from '@duckdb/node-api';
import { databaseFilePath } from '../../connections/database-file-path.js';
import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** Open the DuckDB file read-only (so a check never writes or locks it for writing) and run `select 1`. */
export const duckdbProbe: DoctorProbe = async (connection, _signal, context) => {
  const file = databaseFilePath(connection, context.projectDir);
  const started = performance.now();
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const session = await instance.connect();
    try {
      await session.run('select 1');
      const reader = await session.runAndReadAll('select version() as version');
      const version = String(reader.getRowObjectsJS()[0]?.version ?? 'unknown');
      return { serverVersion: `DuckDB ${version}`, latencyMs: Math.round(performance.now() - started) };
    } finally {
      session.closeSync();
    }
  } catch (error) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${connection.ref}: cannot open ${file} with DuckDB: ${messageOf(error)}`,
      {
        hint: 'check that the file is a DuckDB database and that no other process holds it open for writing',
        details: { ref: connection.ref, file },
        cause: error,
      },
    );
  } finally {
    instance?.closeSync();
  }
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
