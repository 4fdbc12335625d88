import { closestMatch } from '../connections/index.js';
import { ErrorCodes, isOsirisError } from '../spec/errors.js';
import type { Redactor } from '../util/redactor.js';
import {
  discoveryCacheFile,
  discoveryCacheKey,
  readCachedProfile,
  writeCachedProfile,
} from './discovery-cache.js';
import { discoveryCall, withDiscoveryConnection } from './discovery-call.js';
import type { DiscoveryKit } from './discovery-family.js';
import {
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_SAMPLE_ROWS,
  MAX_SAMPLE_ROWS,
  wholeNumberOption,
} from './discovery-limits.js';
import type { DiscoverySource } from './discovery-source.js';
import type { DiscoveryConnection } from './readonly-session.js';
import { sampleRows } from './sample-rows.js';
import { normalizedTables, type TableFilter, tableFilter } from './table-filter.js';
import type { DatabaseProfile, DiscoverOptions, TableProfile } from './types.js';

/** Failures that end the whole discovery instead of being recorded against one table. */
const FATAL_CODES = new Set<string>([
  ErrorCodes.CANCELLED,
  ErrorCodes.CONNECTION_FAILED,
  ErrorCodes.AUTH_FAILED,
]);

/**
 * Profile a database: schemas, tables with row estimates, columns, keys, indexes and sample rows.
 * Served from `<projectDir>/.osiris/cache/discovery/` while younger than `ttlMs`; a table that
 * cannot be read carries an `error` instead of failing the discovery.
 */
export async function discoverDatabase(
  kit: DiscoveryKit,
  options: DiscoverOptions,
): Promise<DatabaseProfile> {
  const samples = wholeNumberOption('samples', options.samples, {
    value: DEFAULT_SAMPLE_ROWS,
    minimum: 0,
    maximum: MAX_SAMPLE_ROWS,
  });
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  return discoveryCall(kit, options, async (source, redactor) => {
    const key = discoveryCacheKey({
      ...(await source.identity()),
      options: { tables: normalizedTables(options.tables), samples },
    });
    const file = discoveryCacheFile(options.projectDir, key);
    if (!options.refresh) {
      const cached = await readCachedProfile(file, key, ttlMs);
      if (cached) return cached;
    }
    const profile = await withDiscoveryConnection(source, { signal: options.signal }, (connection) =>
      readProfile(connection, source, tableFilter(options.tables), samples, redactor),
    );
    await writeCachedProfile(file, key, profile);
    return profile;
  });
}

async function readProfile(
  connection: DiscoveryConnection,
  source: DiscoverySource,
  filter: TableFilter,
  samples: number,
  redactor: Redactor,
): Promise<DatabaseProfile> {
  const discoveredAt = new Date().toISOString();
  const catalog = await connection.readCatalog(filter);
  const warnings = [...catalog.warnings, ...missingTableWarnings(filter, catalog.tables)];
  if (samples > 0) {
    for (const table of catalog.tables) {
      if (!table.error) await sampleInto(connection, table, samples);
    }
  }
  for (const table of catalog.tables) {
    if (table.error) table.error = { code: table.error.code, message: redactor.text(table.error.message) };
  }
  const serverVersion = connection.session.serverVersion;
  return {
    connection: source.ref,
    family: source.family,
    ...(serverVersion ? { server_version: serverVersion } : {}),
    schemas: catalog.schemas,
    tables: catalog.tables,
    discovered_at: discoveredAt,
    cached: false,
    warnings: warnings.map((warning) => redactor.text(warning)),
  };
}

async function sampleInto(
  connection: DiscoveryConnection,
  table: TableProfile,
  samples: number,
): Promise<void> {
  try {
    const result = await sampleRows(connection.session, table, samples);
    table.sample = { columns: result.columns, rows: result.rows };
  } catch (error) {
    if (!isOsirisError(error) || FATAL_CODES.has(error.code)) throw error;
    table.error = { code: error.code, message: error.message };
  }
}

function missingTableWarnings(filter: TableFilter, tables: readonly TableProfile[]): string[] {
  const names = tables.map((table) => table.name);
  return filter.unmatched(tables).map((entry) => {
    const suggestion = closestMatch(entry, names);
    return `table ${entry} was not found${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
  });
}
