import { cursorCandidates } from '../cursor-candidates.js';
import type { ColumnProfile, ForeignKeyProfile, IndexProfile, TableFailure, TableProfile } from '../types.js';

/**
 * Collects the rows of the per-kind catalog queries (tables, columns, keys, indexes) into
 * table profiles. Rows for tables it was not told about (filtered out, or hidden) are ignored,
 * so each query may be broader than the table list.
 */
export class CatalogAssembler {
  readonly #tables = new Map<string, TableProfile>();

  addTable(schema: string, name: string, kind: TableProfile['kind'], estimatedRows: number | null): void {
    this.#tables.set(key(schema, name), {
      schema,
      name,
      kind,
      estimated_rows: estimatedRows,
      columns: [],
      primary_key: [],
      foreign_keys: [],
      indexes: [],
    });
  }

  has(schema: string, name: string): boolean {
    return this.#tables.has(key(schema, name));
  }

  addColumn(schema: string, table: string, column: ColumnProfile): void {
    this.#tables.get(key(schema, table))?.columns.push(column);
  }

  setPrimaryKey(schema: string, table: string, columns: string[]): void {
    const profile = this.#tables.get(key(schema, table));
    if (profile) profile.primary_key = columns;
  }

  addForeignKey(schema: string, table: string, foreignKey: ForeignKeyProfile): void {
    this.#tables.get(key(schema, table))?.foreign_keys.push(foreignKey);
  }

  addIndex(schema: string, table: string, index: IndexProfile): void {
    this.#tables.get(key(schema, table))?.indexes.push(index);
  }

  /** Record a failure; the first one recorded for a table wins (it is usually the cause). */
  recordError(schema: string, table: string, failure: TableFailure): void {
    const profile = this.#tables.get(key(schema, table));
    if (profile && !profile.error) profile.error = failure;
  }

  /** Tables sorted by schema then name, so equal catalogs give equal profiles. */
  tables(): TableProfile[] {
    const tables = [...this.#tables.values()].sort(
      (left, right) => compare(left.schema, right.schema) || compare(left.name, right.name),
    );
    for (const table of tables) {
      const candidates = cursorCandidates(table);
      if (candidates.length > 0) table.cursor_candidates = candidates;
    }
    return tables;
  }

  schemas(): string[] {
    return [...new Set(this.tables().map((table) => table.schema))];
  }
}

function key(schema: string, table: string): string {
  return `${schema}\u0000${table}`;
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Rows of a key-column query (one row per column, in key order) grouped by constraint. */
export function groupRows<Row>(rows: readonly Row[], groupKey: (row: Row) => string): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const name = groupKey(row);
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  return [...groups.values()];
}

/** Catalog numbers arrive as numbers, bigint text or null. */
export function estimateFrom(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? Math.round(number) : null;
}

export function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
