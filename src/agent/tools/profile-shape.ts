import type { DatabaseProfile, TableProfile } from '../../discovery/types.js';
import type { DiscoveredTable } from '../session/session-types.js';

/** Sample rows per table the model gets with a schema; more only costs tokens. */
export const SAMPLE_ROWS_FOR_MODEL = 3;
/** Longest text value passed to the model in samples and results. */
const MAX_VALUE_CHARS = 200;

/** Table and column names, for the session's discovered context. */
export function tablesOf(profile: DatabaseProfile): DiscoveredTable[] {
  return profile.tables.map((table) => ({
    name: qualified(profile, table),
    columns: table.columns.map((column) => column.name),
    ...(table.primary_key.length > 0 ? { primaryKey: [...table.primary_key] } : {}),
    ...(table.estimated_rows === null ? {} : { rowEstimate: table.estimated_rows }),
  }));
}

/**
 * A profile in the fewest tokens that keep everything a query needs: columns as `name type`,
 * keys as arrows, a few sample rows with long values shortened.
 */
export function profileForModel(profile: DatabaseProfile): Record<string, unknown> {
  return {
    connection: profile.connection,
    family: profile.family,
    ...(profile.server_version ? { server_version: profile.server_version } : {}),
    tables: profile.tables.map((table) => ({
      name: qualified(profile, table),
      ...(table.kind === 'view' ? { kind: 'view' } : {}),
      ...(table.estimated_rows === null ? {} : { estimated_rows: table.estimated_rows }),
      columns: table.columns.map(
        (column) => `${column.name} ${column.type}${column.nullable ? '' : ' not null'}`,
      ),
      ...(table.primary_key.length > 0 ? { primary_key: table.primary_key } : {}),
      // Likely cursors for `incremental:`, best first (discovery/cursor-candidates.ts).
      ...(table.cursor_candidates?.length ? { cursor_candidates: table.cursor_candidates } : {}),
      ...(table.foreign_keys.length > 0
        ? {
            foreign_keys: table.foreign_keys.map(
              (key) =>
                `${key.columns.join(', ')} → ${key.references.table}(${key.references.columns.join(', ')})`,
            ),
          }
        : {}),
      ...(table.sample && table.sample.rows.length > 0
        ? { sample_rows: table.sample.rows.slice(0, SAMPLE_ROWS_FOR_MODEL).map(shortenValues) }
        : {}),
      ...(table.error ? { error: table.error } : {}),
    })),
    ...(profile.warnings.length > 0 ? { warnings: profile.warnings } : {}),
  };
}

/** Tables in the only (or default) schema go by their bare name; others are `schema.name`. */
function qualified(profile: DatabaseProfile, table: TableProfile): string {
  return profile.schemas.length > 1 ? `${table.schema}.${table.name}` : table.name;
}

export function shortenValues(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === 'string' && value.length > MAX_VALUE_CHARS
        ? `${value.slice(0, MAX_VALUE_CHARS - 1)}…`
        : value,
    ]),
  );
}
