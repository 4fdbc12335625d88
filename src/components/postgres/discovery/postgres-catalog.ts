import { CatalogAssembler, estimateFrom, text } from '../../../discovery/catalog/catalog-assembler.js';
import { catalogQuery } from '../../../discovery/catalog/catalog-query.js';
import type { CatalogSnapshot } from '../../../discovery/catalog/catalog-snapshot.js';
import type { ReadonlySession } from '../../../discovery/readonly-session.js';
import type { TableFilter } from '../../../discovery/table-filter.js';
import { ErrorCodes } from '../../../spec/errors.js';

export interface PostgresCatalogScope {
  /** Only these schemas (from the connection's `schema`/`schemas`); every user schema otherwise. */
  schemas?: string[];
  excludedSchemas: readonly string[];
}

const RELATION_KINDS = "('r', 'p', 'v', 'm', 'f')";

/**
 * The PostgreSQL catalog in four pg_catalog queries (relations, attributes, constraints,
 * indexes), whatever the number of tables. Relations the user may not SELECT are listed with
 * their columns and an error, rather than failing the discovery.
 */
export async function readPostgresCatalog(
  session: ReadonlySession,
  filter: TableFilter,
  scope: PostgresCatalogScope,
): Promise<CatalogSnapshot> {
  const warnings: string[] = [];
  const parameters: unknown[] = [scope.excludedSchemas];
  let where = `n.nspname <> ALL($1::text[]) AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
  if (scope.schemas) {
    parameters.push(scope.schemas);
    where += ` AND n.nspname = ANY($${parameters.length}::text[])`;
  }
  if (filter.names) {
    parameters.push(filter.names);
    where += ` AND c.relname = ANY($${parameters.length}::text[])`;
  }
  const relations = `pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace`;
  const run = async (sql: string) => (await catalogQuery(session, sql, parameters, warnings)).rows;

  const tables = await run(`
    SELECT c.oid::text AS table_oid, n.nspname AS schema_name, c.relname AS table_name, c.relkind AS kind,
           CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE s.n_live_tup END AS estimated_rows,
           has_table_privilege(c.oid, 'SELECT') AS can_select
      FROM ${relations}
      LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
     WHERE c.relkind IN ${RELATION_KINDS} AND NOT c.relispartition AND ${where}
     ORDER BY n.nspname, c.relname`);
  const columns = await run(`
    SELECT c.oid::text AS table_oid, a.attname AS column_name,
           format_type(a.atttypid, a.atttypmod) AS data_type, NOT a.attnotnull AS nullable,
           pg_get_expr(d.adbin, d.adrelid) AS column_default
      FROM ${relations}
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relkind IN ${RELATION_KINDS} AND NOT c.relispartition AND ${where}
     ORDER BY c.oid, a.attnum`);
  const constraints = await run(`
    SELECT c.oid::text AS table_oid, k.contype AS kind, k.conname AS name,
           ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, position)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                  ORDER BY u.position) AS columns,
           rn.nspname AS referenced_schema, rc.relname AS referenced_table,
           ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, position)
                   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
                  ORDER BY u.position) AS referenced_columns
      FROM ${relations}
      JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype IN ('p', 'f')
      LEFT JOIN pg_class rc ON rc.oid = k.confrelid
      LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
     WHERE ${where}
     ORDER BY c.oid, k.conname`);
  const indexes = await run(`
    SELECT c.oid::text AS table_oid, ic.relname AS index_name, i.indisunique AS is_unique,
           ARRAY(SELECT pg_get_indexdef(i.indexrelid, position + 1, true)
                   FROM generate_series(0, i.indnkeyatts - 1) AS position ORDER BY position) AS columns
      FROM ${relations}
      JOIN pg_index i ON i.indrelid = c.oid
      JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE ${where}
     ORDER BY c.oid, ic.relname`);

  const catalog = new CatalogAssembler();
  const byOid = new Map<string, { schema: string; name: string }>();
  for (const row of tables) {
    const schema = text(row.schema_name);
    const name = text(row.table_name);
    if (!filter.matches(schema, name)) continue;
    const isView = row.kind === 'v' || row.kind === 'm';
    byOid.set(text(row.table_oid), { schema, name });
    catalog.addTable(
      schema,
      name,
      isView ? 'view' : 'table',
      isView ? null : estimateFrom(row.estimated_rows),
    );
    if (row.can_select === false) {
      catalog.recordError(schema, name, {
        code: ErrorCodes.DISCOVERY_FAILED,
        message: `permission denied: the connection's user may not SELECT from ${schema}.${name}`,
      });
    }
  }
  const tableOf = (row: Record<string, unknown>) => byOid.get(text(row.table_oid));
  for (const row of columns) {
    const table = tableOf(row);
    if (!table) continue;
    catalog.addColumn(table.schema, table.name, {
      name: text(row.column_name),
      type: text(row.data_type),
      nullable: row.nullable === true,
      default: row.column_default === null ? null : text(row.column_default),
    });
  }
  for (const row of constraints) {
    const table = tableOf(row);
    if (!table) continue;
    const columnNames = textArray(row.columns);
    if (row.kind === 'p') catalog.setPrimaryKey(table.schema, table.name, columnNames);
    else {
      catalog.addForeignKey(table.schema, table.name, {
        columns: columnNames,
        references: {
          schema: text(row.referenced_schema),
          table: text(row.referenced_table),
          columns: textArray(row.referenced_columns),
        },
      });
    }
  }
  for (const row of indexes) {
    const table = tableOf(row);
    if (!table) continue;
    catalog.addIndex(table.schema, table.name, {
      name: text(row.index_name),
      columns: textArray(row.columns),
      unique: row.is_unique === true,
    });
  }
  return {
    schemas: scope.schemas ?? catalog.schemas(),
    tables: catalog.tables(),
    warnings,
  };
}

function textArray(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => text(item)) : [];
}
