import type { MysqlSession } from './client.js';

/** What the writer needs to know about an existing target table. */
export interface TableDescription {
  isView: boolean;
  /** Column names as MySQL spells them, in table order. */
  columns: string[];
  /** Each column's definition, in the same order (what schema_change compares and restores). */
  definitions: ColumnDefinition[];
  /** Column lists of the primary key and every unique index. */
  uniqueKeys: string[][];
  /** Foreign keys in other tables that point at this one. */
  referencedBy: number;
  /** Foreign keys of this table and triggers on it: both stay behind if the table is swapped. */
  foreignKeys: number;
  triggers: number;
}

/** A column's type as information_schema spells it (`decimal(12,2)`, `int(11) unsigned`). */
export interface ColumnDefinition {
  name: string;
  columnType: string;
  nullable: boolean;
  /** COLUMN_DEFAULT as MariaDB/MySQL report it (an expression or literal), or null. */
  defaultValue: string | null;
}

type Row = Record<string, unknown>;

/** Undefined when the table does not exist. */
export async function describeTable(
  session: MysqlSession,
  schema: string,
  table: string,
): Promise<TableDescription | undefined> {
  const [tables] = (await session.query.query(
    'SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table],
  )) as unknown as [Row[]];
  const found = tables[0];
  if (!found) return undefined;
  const [columns] = (await session.query.query(
    'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS column_type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS default_value ' +
      'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ' +
      'ORDER BY ORDINAL_POSITION',
    [schema, table],
  )) as unknown as [Row[]];
  const [indexColumns] = (await session.query.query(
    'SELECT INDEX_NAME AS index_name, COLUMN_NAME AS name FROM information_schema.STATISTICS ' +
      'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX',
    [schema, table],
  )) as unknown as [Row[]];
  const [references] = (await session.query.query(
    'SELECT COUNT(*) AS count FROM information_schema.REFERENTIAL_CONSTRAINTS ' +
      'WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?',
    [schema, table],
  )) as unknown as [Row[]];
  const [ownForeignKeys] = (await session.query.query(
    'SELECT COUNT(*) AS count FROM information_schema.REFERENTIAL_CONSTRAINTS ' +
      'WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table],
  )) as unknown as [Row[]];
  const [triggers] = (await session.query.query(
    'SELECT COUNT(*) AS count FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?',
    [schema, table],
  )) as unknown as [Row[]];
  const uniqueKeys = new Map<string, string[]>();
  for (const row of indexColumns) {
    const name = String(row.index_name);
    uniqueKeys.set(name, [...(uniqueKeys.get(name) ?? []), String(row.name)]);
  }
  return {
    isView: String(found.type).toUpperCase().includes('VIEW'),
    columns: columns.map((row) => String(row.name)),
    definitions: columns.map((row) => ({
      name: String(row.name),
      columnType: String(row.column_type),
      nullable: String(row.nullable) === 'YES',
      defaultValue:
        row.default_value === null || row.default_value === undefined ? null : String(row.default_value),
    })),
    uniqueKeys: [...uniqueKeys.values()],
    referencedBy: Number(references[0]?.count ?? 0),
    foreignKeys: Number(ownForeignKeys[0]?.count ?? 0),
    triggers: Number(triggers[0]?.count ?? 0),
  };
}
