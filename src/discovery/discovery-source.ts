import { statSync } from 'node:fs';
import { resolveMysqlSettings } from '../components/mysql/connection-settings.js';
import { resolveEndpoint } from '../components/postgres/connection-settings.js';
import {
  collectSecretValues,
  connectionMetadata,
  formatConnectionRef,
  loadConnections,
  resolveConnection,
  secretNamesFromSpecs,
  selectConnection,
} from '../connections/index.js';
import { databaseFilePath } from '../connections/database-file-path.js';
import { createDefaultRegistry } from '../registry/default-registry.js';
import type { ResolvedConnection } from '../spec/connection.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import type { DiscoveryConnection, OpenSessionOptions } from './readonly-session.js';
import { csvFiles, csvFolderPath, openCsvFolderDiscovery } from '../components/filesystem/discovery.js';
import { openDuckdbDiscovery } from '../components/duckdb/discovery.js';
import { openMysqlDiscovery } from '../components/mysql/discovery/mysql-discovery.js';
import { openPostgresDiscovery } from '../components/postgres/discovery/postgres-discovery.js';
import { openSqliteDiscovery } from '../components/sqlite/discovery/sqlite-discovery.js';
import type { DiscoveryFamily } from './types.js';

/** The component whose spec version goes into the cache key: its reader defines what discovery sees. */
const FAMILY_COMPONENTS: Readonly<Record<DiscoveryFamily, string>> = {
  mysql: 'mysql.extractor',
  postgres: 'postgres.extractor',
  supabase: 'supabase.extractor',
  duckdb: 'duckdb.extractor',
  sqlite: 'sqlite.extractor',
  filesystem: 'filesystem.csv_extractor',
};

/** A connection ready to discover: resolved in memory, not yet opened. */
export interface DiscoverySource {
  /** `@family.alias`, with the alias `@family` chose. */
  ref: string;
  family: DiscoveryFamily;
  /** Secret values of the connection, for scrubbing whatever leaves discovery. */
  secrets: string[];
  /** What the cache key hashes: no secret, but everything that changes what discovery would see. */
  identity(): Record<string, unknown>;
  open(options: OpenSessionOptions): Promise<DiscoveryConnection>;
}

export function resolveDiscoverySource(options: {
  projectDir: string;
  ref: string;
  env?: Record<string, string | undefined>;
}): DiscoverySource {
  const config = loadConnections({ cwd: options.projectDir, env: options.env ?? process.env });
  const raw = selectConnection(config, options.ref);
  const family = discoveryFamily(raw.family, formatConnectionRef(raw.family, raw.alias));
  const registry = createDefaultRegistry();
  const secretNames = secretNamesFromSpecs(registry.list().map((definition) => definition.spec));
  const connection = resolveConnection(raw, config.env, { secretNames });
  const componentName = FAMILY_COMPONENTS[family];
  const projectDir = options.projectDir;
  return {
    ref: connection.ref,
    family,
    secrets: collectSecretValues(connection),
    identity: () => ({
      connection: connectionMetadata(raw, secretNames),
      target: targetIdentity(family, connection, projectDir),
      component: { name: componentName, version: registry.spec(componentName)?.version ?? 'unknown' },
    }),
    open: (sessionOptions) => openFamily(family, connection, projectDir, sessionOptions),
  };
}

function discoveryFamily(family: string, ref: string): DiscoveryFamily {
  if (family in FAMILY_COMPONENTS) return family as DiscoveryFamily;
  throw new OsirisError(ErrorCodes.USAGE, `${ref}: discovery does not support the "${family}" family`, {
    hint: `discovery reads ${Object.keys(FAMILY_COMPONENTS).join(', ')} connections`,
    details: { ref, family },
  });
}

function openFamily(
  family: DiscoveryFamily,
  connection: ResolvedConnection,
  projectDir: string,
  options: OpenSessionOptions,
): Promise<DiscoveryConnection> {
  switch (family) {
    case 'mysql':
      return openMysqlDiscovery(connection, options);
    case 'postgres':
      return openPostgresDiscovery(connection, options);
    case 'supabase':
      requirePostgresFields(connection);
      return openPostgresDiscovery(connection, options);
    case 'duckdb':
      return openDuckdbDiscovery(connection, projectDir, options);
    case 'sqlite':
      return openSqliteDiscovery(connection, projectDir, options);
    case 'filesystem':
      return openCsvFolderDiscovery(connection, projectDir, options);
  }
}

/** The REST API (`url` + `key`) cannot list tables or run SQL: discovery needs the database itself. */
function requirePostgresFields(connection: ResolvedConnection): void {
  const fields = connection.fields;
  if (fields.dsn || fields.host) return;
  throw new OsirisError(
    ErrorCodes.CONNECTION_FAILED,
    `${connection.ref}: discovery needs the Postgres connection of the Supabase project (a \`dsn\` or \`host\` field)`,
    {
      hint: 'add dsn: ${SUPABASE_DB_URL} (Project Settings → Database → Connection string) to the connection',
      details: { ref: connection.ref },
    },
  );
}

/**
 * Where the data lives, without secrets: a changed host, database or file invalidates the cache
 * even when the connections file only changed through `${VAR}` values. Files add their size and
 * modification time, so a rewritten database or CSV is rediscovered.
 */
function targetIdentity(
  family: DiscoveryFamily,
  connection: ResolvedConnection,
  projectDir: string,
): unknown {
  switch (family) {
    case 'mysql': {
      const settings = resolveMysqlSettings(connection, {});
      return {
        host: settings.host,
        port: settings.port,
        user: settings.user,
        database: settings.database ?? null,
      };
    }
    case 'postgres':
    case 'supabase': {
      const endpoint = resolveEndpoint(connection);
      return { host: endpoint.host, port: endpoint.port, user: endpoint.user, database: endpoint.database };
    }
    case 'duckdb':
    case 'sqlite':
      return fileIdentity(databaseFilePath(connection, projectDir));
    case 'filesystem': {
      const folder = csvFolderPath(connection, projectDir);
      return { folder, files: [...csvFiles(folder).values()].map(fileIdentity) };
    }
  }
}

function fileIdentity(file: string): { file: string; size: number; modified_ms: number } {
  const stats = statSync(file);
  return { file, size: stats.size, modified_ms: Math.trunc(stats.mtimeMs) };
}
