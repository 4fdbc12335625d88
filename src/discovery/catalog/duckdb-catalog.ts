import type { ReadonlySession } from '../readonly-session.js';
import type { TableFilter } from '../table-filter.js';
import { CatalogAssembler, estimateFrom, text } from './catalog-assembler.js';
import { catalogQuery } from './catalog-query.js';
import type { CatalogSnapshot } from './catalog-snapshot.js';

export interface DuckdbCatalogOptions {
  /** Report views as tables: a CSV folder is read through one view per file. */
  viewsAreTables?: boolean;
}

/**
 * The catalog of the session's main DuckDB database in four queries over duckdb_tables()/
 * duckdb_views(), duckdb_columns(), duckdb_constraints() and duckdb_indexes().
 */
export async function readDuckdbCatalog(
  session: ReadonlySession,
  filter: TableFilter,
  options: DuckdbCatalogOptions = {},
): Promise<CatalogSnapshot> {
  const warnings: string[] = [];
  const parameters: unknown[] = [];
  let where = 'database_name = current_database()';
  if (filter.names) {
    const placeholders = filter.names.map((name) => {
      parameters.push(name);
      return session.dialect.placeholder(parameters.length);
    });
    where += ` AND table_name IN (${placeholders.join(', ')})`;
  }
  const run = async (sql: string) => (await catalogQuery(session, sql, parameters, warnings)).rows;

  const tables = await run(`
    SELECT schema_name, table_name, kind, estimated_size FROM (
      SELECT database_name, schema_name, table_name, 'table' AS kind, estimated_size
        FROM duckdb_tables() WHERE NOT internal
      UNION ALL
      SELECT database_name, schema_name, view_name, 'view', NULL FROM duckdb_views() WHERE NOT internal
    ) WHERE ${where}
    ORDER BY schema_name, table_name`);
  const columns = await run(`
    SELECT schema_name, table_name, column_name, data_type, is_nullable, column_default
      FROM duckdb_columns() WHERE NOT internal AND ${where}
     ORDER BY schema_name, table_name, column_index`);
  const constraints = await run(`
    SELECT schema_name, table_name, constraint_type, constraint_name, constraint_column_names,
           referenced_table, referenced_column_names
      FROM duckdb_constraints()
     WHERE constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY', 'UNIQUE') AND ${where}
     ORDER BY schema_name, table_name, constraint_index`);
  const indexes = await run(`
    SELECT schema_name, table_name, index_name, is_unique, expressions
      FROM duckdb_indexes() WHERE ${where}
     ORDER BY schema_name, table_name, index_name`);

  const catalog = new CatalogAssembler();
  for (const row of tables) {
    const schema = text(row.schema_name);
    const name = text(row.table_name);
    if (!filter.matches(schema, name)) continue;
    const isView = row.kind === 'view' && !options.viewsAreTables;
    catalog.addTable(
      schema,
      name,
      isView ? 'view' : 'table',
      row.kind === 'view' ? null : estimateFrom(row.estimated_size),
    );
  }
  for (const row of columns) {
    catalog.addColumn(text(row.schema_name), text(row.table_name), {
      name: text(row.column_name),
      type: text(row.data_type),
      nullable: row.is_nullable !== false,
      default: row.column_default === null ? null : text(row.column_default),
    });
  }
  for (const row of constraints) {
    const schema = text(row.schema_name);
    const table = text(row.table_name);
    const columnNames = textList(row.constraint_column_names);
    if (row.constraint_type === 'PRIMARY KEY') {
      catalog.setPrimaryKey(schema, table, columnNames);
      catalog.addIndex(schema, table, {
        name: text(row.constraint_name),
        columns: columnNames,
        unique: true,
      });
    } else if (row.constraint_type === 'UNIQUE') {
      catalog.addIndex(schema, table, {
        name: text(row.constraint_name),
        columns: columnNames,
        unique: true,
      });
    } else {
      // DuckDB keeps foreign keys within one schema.
      catalog.addForeignKey(schema, table, {
        columns: columnNames,
        references: {
          schema,
          table: text(row.referenced_table),
          columns: textList(row.referenced_column_names),
        },
      });
    }
  }
  for (const row of indexes) {
    catalog.addIndex(text(row.schema_name), text(row.table_name), {
      name: text(row.index_name),
      columns: indexExpressions(text(row.expressions)),
      unique: row.is_unique === true,
    });
  }
  return { schemas: catalog.schemas(), tables: catalog.tables(), warnings };
}

function textList(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => text(item)) : [];
}

/** duckdb_indexes() lists expressions as one text, `[a, b]` or `['(a + 1)']`. */
function indexExpressions(value: string): string[] {
  const inner = value.replace(/^\[/, '').replace(/\]$/, '').trim();
  if (inner === '') return [];
  return inner.split(', ').map((item) => item.replace(/^'(.*)'$/, '$1'));
}
