import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { ColumnInfo, DataPlane } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { appendRows } from './append-rows.js';
import { resolveDataPlaneLimits } from './data-plane-limits.js';
import { diskFullError } from './disk-full.js';
import { readChunks } from './read-chunks.js';
import { tableForStep } from './table-name.js';

export interface DataPlaneOptions {
  /** Folder for the run's database (`dataplane.duckdb`); data larger than memory spills into it. */
  directory: string;
  /** DuckDB memory limit, e.g. `2GB`; `resolveDataPlaneLimits()` (env, osiris.yaml, default) when omitted. */
  memoryLimit?: string;
  threads?: number;
  /** Longest row an extractor streams in as CSV; `resolveDataPlaneLimits()` when omitted. */
  maxRowBytes?: number;
  /**
   * When given, SQL may touch files only in these folders (plus `directory`): DuckDB's
   * `enable_external_access = false` with `allowed_directories`, locked for the database's life.
   * Pass the project folder, so a pipeline's SQL (`read_csv('/etc/passwd')`, `COPY … TO '/x'`)
   * cannot reach beyond it, the way config paths cannot.
   */
  allowedDirectories?: string[];
  /** Folder that relative file paths in SQL (`read_parquet('data/x.parquet')`) resolve against. */
  baseDirectory?: string;
}

/** The run's data plane plus what only its owner (the engine) needs. */
export interface RunDataPlane extends DataPlane {
  /** Closes every connection and deletes the database files. Idempotent. */
  close(): Promise<void>;
  /** DuckDB's effective settings (memory_limit, threads, ...) and where the limits came from, for the run's debug event. */
  settings(): Promise<Record<string, string>>;
}

export const DATA_PLANE_FILE = 'dataplane.duckdb';

/**
 * One DuckDB database per run, in `<directory>/dataplane.duckdb`.
 * - `preserve_insertion_order` stays on, so every output lists rows in the same order on every run.
 * - The session time zone is UTC, so TIMESTAMPTZ text never depends on the machine.
 * - Extensions are never installed or auto-loaded (no network); json, parquet and icu are built in.
 * - `readChunks` and `appendRows` use connections of their own: a connection serves one streaming
 *   result at a time, and concurrent steps must not cut each other's streams short.
 * - `run` uses the shared connection; its statements are queued so they never overlap.
 */
export async function createDataPlane(options: DataPlaneOptions): Promise<RunDataPlane> {
  await mkdir(options.directory, { recursive: true });
  const databasePath = join(options.directory, DATA_PLANE_FILE);
  const spillDirectory = join(options.directory, 'spill');
  // A file left by an earlier crashed run must not leak its tables into this one.
  await removeDatabaseFiles(databasePath, spillDirectory);
  const settings: Record<string, string> = {
    temp_directory: spillDirectory,
    preserve_insertion_order: 'true',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  // Explicit options win; otherwise OSIRIS_MEMORY_LIMIT / OSIRIS_THREADS, then osiris.yaml's `data_plane:`.
  const limits = resolveDataPlaneLimits({
    ...(options.baseDirectory ? { projectDir: options.baseDirectory } : {}),
  });
  settings.memory_limit = options.memoryLimit ?? limits.memoryLimit;
  settings.threads = String(options.threads ?? limits.threads);
  const maxRowBytes = options.maxRowBytes ?? limits.maxRowBytes;
  const instance = await DuckDBInstance.create(databasePath, settings).catch((error: unknown) => {
    throw new OsirisError(
      ErrorCodes.INTERNAL,
      `Could not open the run's DuckDB database in ${options.directory}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'Check that the folder is writable and the memory limit / thread settings are valid.',
        cause: error,
      },
    );
  });
  const shared = await instance.connect();
  await shared.run(`SET GLOBAL TimeZone = ${quotedString('UTC')}`);
  // The database file is deleted when the run ends: a checkpoint on close would rewrite every
  // table into it only to throw it away (seconds and hundreds of MB on large runs).
  await shared.run('PRAGMA disable_checkpoint_on_shutdown');
  if (options.baseDirectory) {
    await shared.run(`SET GLOBAL file_search_path = ${quotedString(options.baseDirectory)}`);
  }
  if (options.allowedDirectories) {
    const allowed = [options.directory, ...options.allowedDirectories].map((folder) =>
      quotedString(asFolder(folder)),
    );
    await shared.run(`SET allowed_directories = [${allowed.join(', ')}]`);
    await shared.run('SET enable_external_access = false');
  }

  const openConnections = new Set<DuckDBConnection>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const assertOpen = (): void => {
    if (closed) throw new OsirisError(ErrorCodes.INTERNAL, 'The data plane is closed.');
  };

  const connect = async (): Promise<DuckDBConnection> => {
    assertOpen();
    const connection = await instance.connect();
    // Tracked so close() can end connections a failed step never closed; closing twice is harmless.
    openConnections.add(connection);
    return connection;
  };

  const release = (connection: DuckDBConnection): void => {
    openConnections.delete(connection);
    connection.closeSync();
  };

  const run = (sql: string): Promise<void> => {
    assertOpen();
    const next = queue.then(async () => {
      try {
        await shared.run(sql);
      } catch (error) {
        throw queryFailed(error, sql, options.directory);
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const scalar = async (sql: string, values: string[] = []): Promise<unknown[][]> => {
    assertOpen();
    const connection = await connect();
    try {
      return (await connection.runAndReadAll(sql, values)).getRows();
    } catch (error) {
      throw queryFailed(error, sql, options.directory);
    } finally {
      release(connection);
    }
  };

  return {
    directory: options.directory,
    maxRowBytes,
    tableFor: tableForStep,
    quote: quotedIdentifier,
    run,
    connect,

    async count(table: string): Promise<number> {
      const rows = await scalar(`SELECT count(*) FROM ${quotedIdentifier(table)}`);
      return Number(rows[0]?.[0] ?? 0);
    },

    async columns(table: string): Promise<ColumnInfo[]> {
      const rows = await scalar(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = $1
         ORDER BY ordinal_position`,
        [table],
      );
      if (rows.length === 0) {
        throw new OsirisError(ErrorCodes.QUERY_FAILED, `The data plane has no table "${table}".`, {
          details: { table },
        });
      }
      return rows.map(([name, type, nullable]) => ({
        name: String(name),
        type: String(type),
        nullable: nullable === 'YES',
      }));
    },

    async appendRows(table, columns, batches, onProgress): Promise<number> {
      const connection = await connect();
      try {
        return await appendRows(connection, table, columns, batches, onProgress);
      } catch (error) {
        throw diskFullError(error, options.directory) ?? error;
      } finally {
        release(connection);
      }
    },

    async *readChunks(source, chunkRows) {
      const connection = await connect();
      try {
        yield* readChunks(connection, source, chunkRows);
      } finally {
        release(connection);
      }
    },

    async settings(): Promise<Record<string, string>> {
      const names = ['memory_limit', 'threads', 'preserve_insertion_order', 'max_temp_directory_size'];
      const rows = await scalar(
        `SELECT name, value FROM duckdb_settings() WHERE name IN (${names.map(quotedString).join(', ')}) ORDER BY name`,
      );
      return {
        ...Object.fromEntries(rows.map(([name, value]) => [String(name), String(value)])),
        memory_limit_source: options.memoryLimit === undefined ? limits.source.memory_limit : 'option',
        threads_source: options.threads === undefined ? limits.source.threads : 'option',
        max_row_size: String(maxRowBytes),
        max_row_size_source: options.maxRowBytes === undefined ? limits.source.max_row_size : 'option',
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue;
      for (const connection of [...openConnections]) connection.closeSync();
      shared.closeSync();
      instance.closeSync();
      await removeDatabaseFiles(databasePath, spillDirectory);
    },
  };
}

function asFolder(folder: string): string {
  const absolute = resolve(folder);
  return absolute.endsWith(sep) ? absolute : `${absolute}${sep}`;
}

function queryFailed(error: unknown, sql: string, directory: string): OsirisError {
  const diskFull = diskFullError(error, directory);
  if (diskFull) return diskFull;
  return new OsirisError(ErrorCodes.QUERY_FAILED, error instanceof Error ? error.message : String(error), {
    details: { sql: sql.slice(0, 500) },
    cause: error,
  });
}

async function removeDatabaseFiles(databasePath: string, spillDirectory: string): Promise<void> {
  await rm(databasePath, { force: true });
  await rm(`${databasePath}.wal`, { force: true });
  await rm(spillDirectory, { force: true, recursive: true });
}
