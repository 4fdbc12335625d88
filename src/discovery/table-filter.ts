/**
 * The `tables` option: names (`movies`) or qualified names (`public.movies`). Catalog queries
 * narrow by `names` in SQL; `matches` is exact (a qualified entry matches only its schema).
 */
export interface TableFilter {
  /** Unqualified table names to keep; undefined keeps every table. */
  names: string[] | undefined;
  matches(schema: string, table: string): boolean;
  /** Entries no table matched, for a warning. */
  unmatched(tables: readonly { schema: string; name: string }[]): string[];
}

export function tableFilter(tables: readonly string[] | undefined): TableFilter {
  const entries = (normalizedTables(tables) ?? []).map(parseEntry);
  if (entries.length === 0) return { names: undefined, matches: () => true, unmatched: () => [] };
  const entryMatches = (entry: FilterEntry, schema: string, table: string) =>
    entry.name === table && (entry.schema === undefined || entry.schema === schema);
  return {
    names: [...new Set(entries.map((entry) => entry.name))].sort(),
    matches: (schema, table) => entries.some((entry) => entryMatches(entry, schema, table)),
    unmatched: (found) =>
      entries
        .filter((entry) => !found.some((table) => entryMatches(entry, table.schema, table.name)))
        .map((entry) => entry.text),
  };
}

interface FilterEntry {
  text: string;
  schema?: string;
  name: string;
}

/** `a.b` is schema `a`, table `b`; a name without a dot is a table in any schema. */
function parseEntry(text: string): FilterEntry {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return { text, name: text };
  return { text, schema: text.slice(0, dot), name: text.slice(dot + 1) };
}

/** The canonical form of the option, for the cache key: trimmed, unique, sorted; null for "every table". */
export function normalizedTables(tables: readonly string[] | undefined): string[] | null {
  const names = [...new Set((tables ?? []).map((table) => table.trim()).filter((table) => table.length > 0))];
  return names.length === 0 ? null : names.sort();
}
