import type pg from 'pg';
import { type ColumnMapping, mapPostgresType, type PostgresTypeRow } from './postgres-to-duckdb-type.js';
import { singleStatement } from './single-statement.js';

export interface SourceColumn extends ColumnMapping {
  /** Name in the data plane: the result column's name, made unique (DuckDB names ignore case). */
  name: string;
  /** Name PostgreSQL gave the result column (may repeat, e.g. two `id` columns of a join). */
  sourceName: string;
}

/** Wrap a user's SELECT so it can be a subquery (one statement, no trailing `;` or comment). */
export function asSubquery(query: string): string {
  return `(${singleStatement(query)})`;
}

/**
 * Column names and types of a query's result without running it to completion: PostgreSQL
 * plans `LIMIT 0` and returns the row description only. Types come from `pg_type`, following
 * domains to their base type and arrays to their element type.
 */
export async function describeQuery(client: pg.Client, query: string): Promise<SourceColumn[]> {
  const result = await client.query({
    text: `SELECT * FROM ${asSubquery(query)} AS osiris_query LIMIT 0`,
    rowMode: 'array',
  });
  const catalog = await loadTypeCatalog(
    client,
    result.fields.map((field) => field.dataTypeID),
  );
  const taken = new Set<string>();
  return result.fields.map((field) => ({
    ...mapPostgresType(field.dataTypeID, field.dataTypeModifier, catalog),
    name: uniqueName(field.name, taken),
    sourceName: field.name,
  }));
}

async function loadTypeCatalog(client: pg.Client, oids: number[]): Promise<Map<number, PostgresTypeRow>> {
  const result = await client.query<{
    oid: number;
    name: string;
    kind: string;
    category: string;
    element_oid: number;
    base_oid: number;
    base_typmod: number;
  }>(
    `WITH RECURSIVE wanted(oid) AS (
       SELECT unnest($1::oid[])
       UNION
       SELECT related FROM wanted JOIN pg_type t ON t.oid = wanted.oid,
         LATERAL (VALUES (t.typelem), (t.typbasetype)) AS links(related)
       WHERE related <> 0
     )
     SELECT t.oid::int AS oid, t.typname AS name, t.typtype AS kind, t.typcategory AS category,
            t.typelem::int AS element_oid, t.typbasetype::int AS base_oid, t.typtypmod AS base_typmod
     FROM pg_type t JOIN wanted USING (oid)`,
    [oids],
  );
  return new Map(
    result.rows.map((row) => [
      row.oid,
      {
        oid: row.oid,
        name: row.name,
        kind: row.kind,
        category: row.category,
        elementOid: row.element_oid,
        baseOid: row.base_oid,
        baseTypmod: row.base_typmod,
      },
    ]),
  );
}

/** `name`, or `name_1`, `name_2`... when taken (compared case-insensitively, as DuckDB does). */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name || 'column';
  for (let suffix = 1; taken.has(candidate.toLowerCase()); suffix += 1)
    candidate = `${name || 'column'}_${suffix}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
