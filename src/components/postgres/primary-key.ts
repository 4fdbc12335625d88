import type pg from 'pg';

/**
 * The primary-key columns of `schema.table`, in key order; empty for a view, a table without a
 * primary key, or a relation that does not exist (the read then fails with its own message).
 */
export async function primaryKeyColumns(client: pg.Client, schema: string, table: string): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `SELECT a.attname AS name
     FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
     WHERE i.indrelid = to_regclass(format('%I.%I', $1::text, $2::text)) AND i.indisprimary
     ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [schema, table],
  );
  return result.rows.map((row) => row.name);
}
