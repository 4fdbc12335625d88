import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isRecord } from './values.js';

/** `connection ref` → `table` (and `schema.table`) → column names, from `.osiris/cache/discovery/`. */
export type DiscoveredColumns = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/**
 * Column names of every table in the project's discovery cache, by the connection reference the
 * discovery was asked for. A missing or unreadable cache is simply empty: validation then knows
 * no columns and checks nothing against them.
 */
export function readDiscoveredColumns(projectDir: string): DiscoveredColumns {
  const folder = path.join(projectDir, '.osiris', 'cache', 'discovery');
  const byConnection = new Map<string, Map<string, readonly string[]>>();
  let files: string[];
  try {
    files = readdirSync(folder).filter((file) => file.endsWith('.json'));
  } catch {
    return byConnection;
  }
  for (const file of files.sort()) {
    let profile: unknown;
    try {
      profile = (JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as { profile?: unknown }).profile;
    } catch {
      continue;
    }
    if (!isRecord(profile) || typeof profile.connection !== 'string' || !Array.isArray(profile.tables))
      continue;
    const tables = byConnection.get(profile.connection) ?? new Map<string, readonly string[]>();
    for (const table of profile.tables) {
      if (!isRecord(table) || typeof table.name !== 'string' || !Array.isArray(table.columns) || table.error)
        continue;
      const columns = table.columns.flatMap((column) =>
        isRecord(column) && typeof column.name === 'string' ? [column.name] : [],
      );
      if (columns.length === 0) continue;
      tables.set(table.name, columns);
      if (typeof table.schema === 'string') tables.set(`${table.schema}.${table.name}`, columns);
    }
    byConnection.set(profile.connection, tables);
  }
  return byConnection;
}

/**
 * The output columns of a `table` extractor step when the cache knows its table: the selected
 * `columns`, or all of the table's. Undefined for queries, other components and unknown tables.
 */
export function stepColumnsFromCache(
  config: Record<string, unknown> | undefined,
  mode: string | undefined,
  discovered: DiscoveredColumns,
): readonly string[] | undefined {
  if (!config || mode !== 'read' || typeof config.table !== 'string' || 'query' in config) return undefined;
  if (typeof config.connection !== 'string') return undefined;
  const tables = discovered.get(config.connection);
  if (!tables) return undefined;
  const key = typeof config.schema === 'string' ? `${config.schema}.${config.table}` : config.table;
  const columns = tables.get(key);
  if (!columns) return undefined;
  if (Array.isArray(config.columns) && config.columns.every((c) => typeof c === 'string')) {
    return config.columns as string[];
  }
  return columns;
}
