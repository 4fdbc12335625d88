import { RELATED_ROWS_LIMIT } from './discovery-limits.js';
import type { ReadonlySession } from './readonly-session.js';
import { qualifiedName } from './sql-dialect.js';
import type { ForeignKeyProfile, RelatedRows, SearchHit, TableProfile } from './types.js';

/** One way a hit's rows join to another table through a declared foreign key. */
interface Relation {
  direction: RelatedRows['direction'];
  /** The table whose rows are fetched. */
  target: TableProfile;
  /** Columns of `target` to match, and the hit's columns holding the values to match them with. */
  targetColumns: string[];
  hitColumns: string[];
  via: RelatedRows['via'];
}

/**
 * Every foreign-key relation of the hit's table, both ways: the tables it references (a movie's
 * director) and the tables referencing it (a director's movies).
 */
export function relationsOf(hit: SearchHit, tables: readonly TableProfile[]): Relation[] {
  const relations: Relation[] = [];
  const source = tables.find((table) => table.schema === hit.schema && table.name === hit.table);
  if (!source) return relations;
  const via = (owner: TableProfile, foreignKey: ForeignKeyProfile): RelatedRows['via'] => ({
    table: owner.name,
    columns: foreignKey.columns,
    references: { table: foreignKey.references.table, columns: foreignKey.references.columns },
  });
  for (const foreignKey of source.foreign_keys) {
    const target = findTable(
      tables,
      foreignKey.references.schema ?? source.schema,
      foreignKey.references.table,
    );
    if (!target || target.error) continue;
    relations.push({
      direction: 'references',
      target,
      targetColumns: foreignKey.references.columns,
      hitColumns: foreignKey.columns,
      via: via(source, foreignKey),
    });
  }
  for (const owner of tables) {
    if (owner.error) continue;
    for (const foreignKey of owner.foreign_keys) {
      const referenced = findTable(
        tables,
        foreignKey.references.schema ?? owner.schema,
        foreignKey.references.table,
      );
      if (referenced !== source) continue;
      relations.push({
        direction: 'referenced_by',
        target: owner,
        targetColumns: foreignKey.columns,
        hitColumns: foreignKey.references.columns,
        via: via(owner, foreignKey),
      });
    }
  }
  return relations;
}

/** Rows of `relation.target` that join to the hit's rows; undefined when no hit row has the key. */
export async function fetchRelatedRows(
  session: ReadonlySession,
  hit: SearchHit,
  relation: Relation,
  timeoutMs: number,
): Promise<RelatedRows | undefined> {
  const keys = distinctKeys(hit.rows, relation.hitColumns);
  if (keys.length === 0) return undefined;
  const dialect = session.dialect;
  const quote = (identifier: string) => dialect.quoteIdentifier(identifier);
  const parameters: unknown[] = [];
  const conditions = keys.map((key) => {
    const parts = relation.targetColumns.map((column, index) => {
      parameters.push(key[index]);
      return `${quote(column)} = ${dialect.placeholder(parameters.length)}`;
    });
    return `(${parts.join(' AND ')})`;
  });
  const target = relation.target;
  const orderBy =
    target.primary_key.length > 0 ? ` ORDER BY ${target.primary_key.map(quote).join(', ')}` : '';
  const result = await session.query(
    `SELECT * FROM ${qualifiedName(dialect, target.schema, target.name)} WHERE ${conditions.join(' OR ')}${orderBy} LIMIT ${RELATED_ROWS_LIMIT + 1}`,
    parameters,
    { maxRows: RELATED_ROWS_LIMIT, timeoutMs },
  );
  if (result.rows.length === 0) return undefined;
  return {
    schema: target.schema,
    table: target.name,
    direction: relation.direction,
    via: relation.via,
    rows: result.rows,
    truncated: result.truncated,
  };
}

function findTable(tables: readonly TableProfile[], schema: string, name: string): TableProfile | undefined {
  return tables.find((table) => table.schema === schema && table.name === name);
}

/** Key tuples of the rows, without duplicates or NULLs (a NULL key joins to nothing). */
function distinctKeys(rows: readonly Record<string, unknown>[], columns: readonly string[]): unknown[][] {
  const seen = new Set<string>();
  const keys: unknown[][] = [];
  for (const row of rows) {
    const key = columns.map((column) => row[column]);
    if (key.some((value) => value === null || value === undefined)) continue;
    const text = JSON.stringify(key);
    if (seen.has(text)) continue;
    seen.add(text);
    keys.push(key);
  }
  return keys;
}
