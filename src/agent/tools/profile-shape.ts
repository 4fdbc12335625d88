import type { DiscoveredTable } from '../session/session-types.js';

/**
 * Reading discovery results without depending on every field of their types: the agent needs
 * table and column names for the session and the status line, and passes the rest through.
 */
export function tablesOf(profile: unknown): DiscoveredTable[] {
  const tables = isRecord(profile) && Array.isArray(profile.tables) ? profile.tables : [];
  return tables.flatMap((table) => {
    if (!isRecord(table) || typeof table.name !== 'string') return [];
    const columns = Array.isArray(table.columns)
      ? table.columns.flatMap((column) =>
          typeof column === 'string' ? [column] : isRecord(column) && typeof column.name === 'string' ? [column.name] : [],
        )
      : [];
    const estimate = [table.rowEstimate, table.row_estimate, table.rowCount, table.rows].find(
      (value): value is number => typeof value === 'number',
    );
    return [{ name: table.name, columns, ...(estimate === undefined ? {} : { rowEstimate: estimate }) }];
  });
}

/** Sample rows kept per table when a profile goes to the model; more only costs tokens. */
const SAMPLE_ROWS_FOR_MODEL = 3;

/** The profile with long sample lists shortened (any array of rows under a `sample…` key). */
export function compactProfile(profile: unknown): unknown {
  return shorten(profile, undefined);
}

function shorten(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) {
    const kept = key !== undefined && /^sample/i.test(key) ? value.slice(0, SAMPLE_ROWS_FOR_MODEL) : value;
    return kept.map((item) => shorten(item, undefined));
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, shorten(item, name)]));
  }
  if (typeof value === 'string' && value.length > 200) return `${value.slice(0, 199)}…`;
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
