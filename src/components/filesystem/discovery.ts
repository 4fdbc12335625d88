import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CatalogSnapshot } from '../../discovery/catalog/catalog-snapshot.js';
import { readDuckdbCatalog } from '../../discovery/catalog/duckdb-catalog.js';
import type { DiscoveryConnection, OpenSessionOptions } from '../../discovery/readonly-session.js';
import { openDuckdbSession } from '../../discovery/sessions/duckdb-readonly-session.js';
import { messageOf } from '../../discovery/sessions/session-errors.js';
import type { TableFilter } from '../../discovery/table-filter.js';
import type { TableFailure } from '../../discovery/types.js';
import type { ResolvedConnection } from '../../spec/connection.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

const SCHEMA = 'main';

/** The folder a `@filesystem.alias` connection reads: `base_path` (or `path`), relative to the project. */
export function csvFolderPath(connection: ResolvedConnection, projectDir: string): string {
  const field = ['base_path', 'path'].find(
    (name) => typeof connection.fields[name] === 'string' && connection.fields[name] !== '',
  );
  if (!field) {
    throw new OsirisError(ErrorCodes.CONNECTION_FAILED, `${connection.ref} has no \`base_path\` field`, {
      hint: 'give the folder that holds the CSV files, e.g. base_path: data/',
      details: { ref: connection.ref },
    });
  }
  const folder = path.resolve(projectDir, connection.fields[field] as string);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new OsirisError(
      ErrorCodes.CONNECTION_FAILED,
      `${connection.ref}: folder ${folder} does not exist`,
      {
        hint: `check \`${field}\` (relative paths are relative to ${projectDir})`,
        details: { ref: connection.ref, folder },
      },
    );
  }
  return folder;
}

/** The CSV files of the folder (not its subfolders), as table name → file, in name order. */
export function csvFiles(folder: string): Map<string, string> {
  const entries: Dirent[] = readdirSync(folder, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.csv'))
    .map((entry) => entry.name)
    .sort();
  return new Map(files.map((name) => [name.slice(0, -'.csv'.length), path.join(folder, name)]));
}

/**
 * A CSV folder as a database: an in-memory DuckDB with one view per file over `read_csv` (types
 * detected by DuckDB's sniffer). A file DuckDB cannot read becomes a table with an error.
 */
export async function openCsvFolderDiscovery(
  connection: ResolvedConnection,
  projectDir: string,
  options: OpenSessionOptions,
): Promise<DiscoveryConnection> {
  const folder = csvFolderPath(connection, projectDir);
  const files = csvFiles(folder);
  const failures = new Map<string, TableFailure>();
  const createViews = async (duckdb: DuckDBConnection) => {
    for (const [table, file] of files) {
      const name = `"${table.replaceAll('"', '""')}"`;
      const literal = `'${file.replaceAll("'", "''")}'`;
      try {
        await duckdb.run(`CREATE VIEW ${name} AS SELECT * FROM read_csv(${literal})`);
      } catch (error) {
        failures.set(table, {
          code: ErrorCodes.DISCOVERY_FAILED,
          message: `cannot read ${path.basename(file)}: ${messageOf(error)}`,
        });
      }
    }
  };
  const session = await openDuckdbSession(
    { ref: connection.ref, prepare: createViews, allowedDirectories: [`${folder}${path.sep}`] },
    options,
  );
  const readCatalog = async (filter: TableFilter): Promise<CatalogSnapshot> => {
    const snapshot = await readDuckdbCatalog(session, filter, { viewsAreTables: true });
    const failed = [...failures]
      .filter(([table]) => filter.matches(SCHEMA, table))
      .map(([table, error]) => ({
        schema: SCHEMA,
        name: table,
        kind: 'table' as const,
        estimated_rows: null,
        columns: [],
        primary_key: [],
        foreign_keys: [],
        indexes: [],
        error,
      }));
    const tables = [...snapshot.tables, ...failed].sort((left, right) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
    );
    return { ...snapshot, schemas: [SCHEMA], tables };
  };
  return { session, readCatalog };
}
