import {
  CatalogAssembler,
  estimateFrom,
  groupRows,
  text,
} from '../../../discovery/catalog/catalog-assembler.js';
import { catalogQuery } from '../../../discovery/catalog/catalog-query.js';
import type { CatalogSnapshot } from '../../../discovery/catalog/catalog-snapshot.js';
import type { ReadonlySession } from '../../../discovery/readonly-session.js';
import type { TableFilter } from '../../../discovery/table-filter.js';
import { ErrorCodes } from '../../../spec/errors.js';

const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/**
 * The MySQL/MariaDB catalog in four information_schema queries (tables, columns, key columns,
 * index columns), however many tables there are. The scope is the connection's database, or
 * every non-system schema when the connection names none.
 */
export async function readMysqlCatalog(
  session: ReadonlySession,
  filter: TableFilter,
): Promise<CatalogSnapshot> {
  const warnings: string[] = [];
  const [current] = (await catalogQuery(session, 'SELECT DATABASE() AS name', [], warnings)).rows;
  const database = current?.name === null || current?.name === undefined ? undefined : String(current.name);

  const scope = (tableColumn: string): { sql: string; parameters: unknown[] } => {
    const parameters: unknown[] = [];
    let sql = database
      ? 'TABLE_SCHEMA = DATABASE()'
      : `TABLE_SCHEMA NOT IN (${SYSTEM_SCHEMAS.map(() => '?').join(', ')})`;
    if (!database) parameters.push(...SYSTEM_SCHEMAS);
    if (filter.names) {
      sql += ` AND ${tableColumn} IN (${filter.names.map(() => '?').join(', ')})`;
      parameters.push(...filter.names);
    }
    return { sql, parameters };
  };
  const run = async (select: string, where: { sql: string; parameters: unknown[] }, orderBy: string) =>
    (
      await catalogQuery(
        session,
        `${select} WHERE ${where.sql} ORDER BY ${orderBy}`,
        where.parameters,
        warnings,
      )
    ).rows;

  const tableScope = scope('TABLE_NAME');
  const tables = await run(
    `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS table_type,
            TABLE_ROWS AS table_rows, TABLE_COMMENT AS table_comment
       FROM information_schema.TABLES`,
    tableScope,
    'TABLE_SCHEMA, TABLE_NAME',
  );
  const columns = await run(
    `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name,
            COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default
       FROM information_schema.COLUMNS`,
    tableScope,
    'TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION',
  );
  const keyScope = scope('TABLE_NAME');
  keyScope.sql += " AND (CONSTRAINT_NAME = 'PRIMARY' OR REFERENCED_TABLE_NAME IS NOT NULL)";
  const keys = await run(
    `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name,
            COLUMN_NAME AS column_name, REFERENCED_TABLE_SCHEMA AS referenced_schema,
            REFERENCED_TABLE_NAME AS referenced_table, REFERENCED_COLUMN_NAME AS referenced_column
       FROM information_schema.KEY_COLUMN_USAGE`,
    keyScope,
    'TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION',
  );
  const indexes = await run(
    `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS index_name,
            NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name
       FROM information_schema.STATISTICS`,
    tableScope,
    'TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX',
  );

  const catalog = new CatalogAssembler();
  for (const row of tables) {
    const schema = text(row.table_schema);
    const name = text(row.table_name);
    if (!filter.matches(schema, name)) continue;
    const isView = text(row.table_type) === 'VIEW';
    catalog.addTable(schema, name, isView ? 'view' : 'table', isView ? null : estimateFrom(row.table_rows));
    // A view whose tables or columns are gone (or whose definer lost a right) lists the error
    // as its comment instead of 'VIEW', and has no columns.
    const comment = text(row.table_comment);
    if (isView && comment !== '' && comment.toUpperCase() !== 'VIEW') {
      catalog.recordError(schema, name, { code: ErrorCodes.DISCOVERY_FAILED, message: comment });
    }
  }
  for (const row of columns) {
    catalog.addColumn(text(row.table_schema), text(row.table_name), {
      name: text(row.column_name),
      type: text(row.column_type),
      nullable: text(row.is_nullable) === 'YES',
      default: mysqlDefault(row.column_default),
    });
  }
  for (const group of groupRows(
    keys,
    (row) => `${row.table_schema}.${row.table_name}.${row.constraint_name}`,
  )) {
    const first = group[0]!;
    const schema = text(first.table_schema);
    const table = text(first.table_name);
    const columnNames = group.map((row) => text(row.column_name));
    if (text(first.constraint_name) === 'PRIMARY') catalog.setPrimaryKey(schema, table, columnNames);
    else {
      catalog.addForeignKey(schema, table, {
        columns: columnNames,
        references: {
          schema: text(first.referenced_schema),
          table: text(first.referenced_table),
          columns: group.map((row) => text(row.referenced_column)),
        },
      });
    }
  }
  for (const group of groupRows(
    indexes,
    (row) => `${row.table_schema}.${row.table_name}.${row.index_name}`,
  )) {
    const first = group[0]!;
    catalog.addIndex(text(first.table_schema), text(first.table_name), {
      name: text(first.index_name),
      columns: group.map((row) => text(row.column_name)),
      unique: Number(first.non_unique) === 0,
    });
  }
  return {
    schemas: database ? [database] : catalog.schemas(),
    tables: catalog.tables(),
    warnings,
  };
}

/**
 * MariaDB writes "no default" as the bare word NULL and quotes string defaults; MySQL uses SQL
 * NULL and leaves strings bare. Either way the bare word NULL means none.
 */
function mysqlDefault(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const textValue = String(value);
  return textValue === 'NULL' ? null : textValue;
}
