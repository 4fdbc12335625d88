import Database from 'better-sqlite3';
import { databaseFilePath } from '../../connections/database-file-path.js';
import type { DoctorProbe } from '../../connections/doctor-probe.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** Open the SQLite file read-only and run `select 1` (SQLite opens lazily, so the query is the real check). */
export const sqliteProbe: DoctorProbe = async (connection, _signal, context) => {
  const file = databaseFilePath(connection, context.projectDir);
  const started = performance.now();
  let database: Database.Database | undefined;
  try {
    database = new Database(file, { readonly: true, fileMustExist: true });
    database.prepare('select 1').get();
    const row = database.prepare('select sqlite_version() as version').get() as
      | { version: string }
      | undefined;
    return {
      serverVersion: `SQLite ${row?.version ?? 'unknown'}`,
      latencyMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${connection.ref}: cannot open ${file} with SQLite: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'check that the file is a SQLite database',
        details: { ref: connection.ref, file },
        cause: error,
      },
    );
  } finally {
    database?.close();
  }
};
