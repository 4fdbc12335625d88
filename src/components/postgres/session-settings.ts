/**
 * Session settings that make PostgreSQL's text output exact and unambiguous for DuckDB and
 * its input independent of the server's defaults: UTC time zone (timestamptz keeps its instant,
 * printed with `+00`), ISO dates, hex bytea, and floats printed with enough digits to round-trip
 * (`extra_float_digits = 3` gives shortest-exact output on PostgreSQL 12+ and 17 digits before).
 * `SET LOCAL` keeps them inside our transaction, so they also work through transaction poolers.
 */
const SET_LOCAL = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL client_encoding = 'UTF8'",
].join('; ');

/** One snapshot for the row description and the rows; the query cannot write. */
export const BEGIN_READ_ONLY_SNAPSHOT = `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; ${SET_LOCAL}`;

/**
 * The same, in the snapshot another session exported (`pg_export_snapshot()`): the ranges of a
 * parallel read see exactly one state of the database. The id is the server's own text.
 */
export function beginInSnapshot(snapshotId: string): string {
  if (!/^[0-9A-Fa-f-]+$/.test(snapshotId))
    throw new Error(`unexpected snapshot id ${JSON.stringify(snapshotId)}`);
  return `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '${snapshotId}'; ${SET_LOCAL}`;
}

export const BEGIN_WRITE = `BEGIN; ${SET_LOCAL}`;
