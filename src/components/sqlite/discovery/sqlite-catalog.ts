import { CatalogAssembler, groupRows, text } from '../../../discovery/catalog/catalog-assembler.js';
import { catalogQuery } from '../../../discovery/catalog/catalog-query.js';
import type { CatalogSnapshot } from '../../../discovery/catalog/catalog-snapshot.js';
import type { ReadonlySession } from '../../../discovery/readonly-session.js';
import type { TableFilter } from '../../../discovery/table-filter.js';
import type { TableProfile } from '../../../discovery/types.js';
import { ErrorCodes } from '../../../spec/errors.js';

const SCHEMA = 'main';

/**
 * The SQLite catalog: sqlite_schema joined with the table-valued pragmas, one query per kind.
 * A broken view makes pragma_table_info fail for the whole join, so then, and only then, the
 * columns are read object by object and the broken ones recorded.
 */
export async function readSqliteCatalog(
  session: ReadonlySession,
  filter: TableFilter,
): Promise<CatalogSnapshot> {
  const warnings: string[] = [];
  const run = async (sql: string, parameters: readonly unknown[] = []) =>
    (await catalogQuery(session, sql, parameters, warnings)).rows;
  const parameters: unknown[] = [];
  let where = "m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  if (filter.names) {
    where += ` AND m.name IN (${filter.names.map(() => '?').join(', ')})`;
    parameters.push(...filter.names);
  }

  const objects = await run(
    `SELECT m.type AS type, m.name AS name FROM sqlite_schema m WHERE ${where} ORDER BY m.name`,
    parameters,
  );
  const estimates = await rowEstimates(session, warnings);
  const catalog = new CatalogAssembler();
  const names: string[] = [];
  for (const row of objects) {
    const name = text(row.name);
    if (!filter.matches(SCHEMA, name)) continue;
    names.push(name);
    const isView = row.type === 'view';
    catalog.addTable(SCHEMA, name, isView ? 'view' : 'table', isView ? null : (estimates.get(name) ?? null));
  }

  const primaryKeys = new Map<string, { column: string; position: number }[]>();
  const addColumns = (table: string, columns: readonly Record<string, unknown>[]) => {
    for (const row of columns) {
      catalog.addColumn(SCHEMA, table, {
        name: text(row.name),
        type: text(row.type),
        nullable: Number(row.notnull) === 0,
        default: row.dflt_value === null ? null : text(row.dflt_value),
      });
      const position = Number(row.pk);
      if (position > 0)
        primaryKeys.set(table, [...(primaryKeys.get(table) ?? []), { column: text(row.name), position }]);
    }
  };
  try {
    const columns = await run(
      `SELECT m.name AS table_name, p.name, p.type, p."notnull", p.dflt_value, p.pk
         FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE ${where} ORDER BY m.name, p.cid`,
      parameters,
    );
    for (const group of groupRows(columns, (row) => text(row.table_name)))
      addColumns(text(group[0]!.table_name), group);
  } catch (error) {
    warnings.push(
      `reading all columns at once failed (${messageOf(error)}); columns were read table by table`,
    );
    for (const name of names) {
      try {
        addColumns(
          name,
          await run('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid', [
            name,
          ]),
        );
      } catch (tableError) {
        catalog.recordError(SCHEMA, name, {
          code: ErrorCodes.DISCOVERY_FAILED,
          message: messageOf(tableError),
        });
      }
    }
  }
  for (const [table, keys] of primaryKeys) {
    catalog.setPrimaryKey(
      SCHEMA,
      table,
      keys.sort((left, right) => left.position - right.position).map((key) => key.column),
    );
  }

  const tablesOnly = `${where} AND m.type = 'table'`;
  const foreignKeys = await run(
    `SELECT m.name AS table_name, f.id, f.seq, f."table" AS referenced_table, f."from", f."to"
       FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f WHERE ${tablesOnly} ORDER BY m.name, f.id, f.seq`,
    parameters,
  );
  for (const group of groupRows(foreignKeys, (row) => `${row.table_name}\u0000${row.id}`)) {
    const first = group[0]!;
    const referencedTable = text(first.referenced_table);
    // `to` is NULL when the key references the other table's primary key implicitly.
    const implicit = group.some((row) => row.to === null);
    const referencedColumns = implicit
      ? (primaryKeys.get(referencedTable) ?? []).map((key) => key.column)
      : group.map((row) => text(row.to));
    catalog.addForeignKey(SCHEMA, text(first.table_name), {
      columns: group.map((row) => text(row.from)),
      references: { schema: SCHEMA, table: referencedTable, columns: referencedColumns },
    });
  }

  const indexes = await run(
    `SELECT m.name AS table_name, l.name AS index_name, l."unique" AS is_unique, i.name AS column_name
       FROM sqlite_schema m JOIN pragma_index_list(m.name) l JOIN pragma_index_info(l.name) i
      WHERE ${tablesOnly} ORDER BY m.name, l.name, i.seqno`,
    parameters,
  );
  for (const group of groupRows(indexes, (row) => `${row.table_name}\u0000${row.index_name}`)) {
    const first = group[0]!;
    catalog.addIndex(SCHEMA, text(first.table_name), {
      name: text(first.index_name),
      // An expression column has no name in pragma_index_info.
      columns: group.map((row) => (row.column_name === null ? '<expression>' : text(row.column_name))),
      unique: Number(first.is_unique) === 1,
    });
  }
  const tables = catalog.tables();
  for (const table of tables) addRowidKeyIndex(table);
  return { schemas: [SCHEMA], tables, warnings };
}

/**
 * An INTEGER PRIMARY KEY is the rowid itself, so SQLite lists no index for it; name it like
 * the other families do, so every primary key shows as a unique index.
 */
function addRowidKeyIndex(table: TableProfile): void {
  if (table.primary_key.length === 0) return;
  const key = table.primary_key.join('\u0000');
  if (table.indexes.some((index) => index.unique && index.columns.join('\u0000') === key)) return;
  table.indexes.unshift({ name: 'PRIMARY KEY', columns: [...table.primary_key], unique: true });
}

/** Row counts from `ANALYZE` statistics (sqlite_stat1), when the database has them; SQLite keeps no other estimate. */
async function rowEstimates(session: ReadonlySession, warnings: string[]): Promise<Map<string, number>> {
  const estimates = new Map<string, number>();
  const present = await catalogQuery(
    session,
    "SELECT 1 AS present FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
    [],
    warnings,
  );
  if (present.rows.length === 0) return estimates;
  const stats = await catalogQuery(session, 'SELECT tbl, stat FROM sqlite_stat1', [], warnings);
  for (const row of stats.rows) {
    const rows = Number.parseInt(text(row.stat).split(' ')[0] ?? '', 10);
    if (Number.isFinite(rows))
      estimates.set(text(row.tbl), Math.max(rows, estimates.get(text(row.tbl)) ?? 0));
  }
  return estimates;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
