import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConnection } from '../spec/connection.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';

/** Fields an embedded-database connection may name its file with, in order of preference. */
const PATH_FIELDS = ['path', 'database', 'file'] as const;

/**
 * The database file of a duckdb/sqlite connection, absolute (relative paths are relative to
 * the project folder). The file must exist: a check never creates an empty database.
 */
export function databaseFilePath(connection: ResolvedConnection, projectDir: string): string {
  const field = PATH_FIELDS.find(
    (name) => typeof connection.fields[name] === 'string' && connection.fields[name] !== '',
  );
  if (!field) {
    throw new OsirisError(ErrorCodes.CONNECTION_FAILED, `${connection.ref} has no \`path\` field`, {
      hint: `give the database file, e.g. path: data/warehouse.${connection.family}`,
      details: { ref: connection.ref },
    });
  }
  const file = path.resolve(projectDir, connection.fields[field] as string);
  if (!existsSync(file)) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${connection.ref}: database file ${file} does not exist`,
      {
        hint: `check \`${field}\` (relative paths are relative to ${projectDir})`,
        details: { ref: connection.ref, file },
      },
    );
  }
  return file;
}
