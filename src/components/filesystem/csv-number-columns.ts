import { type DuckDBConnection, quotedIdentifier, quotedString } from '@duckdb/node-api';
import { runInterruptible } from '../../runtime/data-plane/step-connection.js';
import { ErrorCodes, isOsirisError, OsirisError } from '../../spec/errors.js';

/**
 * A double holds any decimal of up to 15 significant digits exactly (DBL_DIG): text with more
 * digits may come back changed (12345678901234567890.1234567891 → 12345678901234567000).
 */
const DOUBLE_EXACT_DIGITS = 15;
/** DuckDB DECIMAL holds at most 38 digits; up to 18 it is a 64-bit integer. */
const MAX_DECIMAL_PRECISION = 38;
const NARROW_DECIMAL_PRECISION = 18;
/** A plain decimal literal, the way databases and Osiris write DECIMAL/NUMERIC. */
const PLAIN_NUMBER = '[+-]?[0-9]+(\\.[0-9]+)?';
/** A float as DuckDB prints one (`0.1`, `1e+28`, `-1.5e-45`). */
const FINITE_TEXT = '[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?';
const FLOAT_TEXT = `${FINITE_TEXT}|inf|-inf|nan`;

/**
 * The columns DuckDB's sniffer would read as DOUBLE (or FLOAT) that `columns` does not type:
 * those are read as text first and typed by settleNumberColumns, so no value is rounded by a
 * guess. `source` is the read_csv call with the configured types.
 */
export async function guessedFloatColumns(
  connection: DuckDBConnection,
  source: string,
  given: Record<string, string>,
): Promise<string[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  const typed = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  return reader
    .getRowObjectsJS()
    .filter((row) => row.column_type === 'DOUBLE' || row.column_type === 'FLOAT')
    .map((row) => String(row.column_name))
    .filter((name) => !typed.has(name.toLowerCase()));
}

/**
 * Text columns that hold only numbers and at least one `inf`, `-inf` or `nan` (how DuckDB and
 * filesystem.csv_writer write non-finite floats, which the sniffer does not take for numbers):
 * they are float columns, typed by settleNumberColumns like the guessed ones.
 */
export async function nonFiniteTextColumns(
  connection: DuckDBConnection,
  table: string,
  given: Record<string, string>,
): Promise<string[]> {
  const typed = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const described = await connection.runAndReadAll(`DESCRIBE ${quotedIdentifier(table)}`);
  const text = described
    .getRowObjectsJS()
    .filter((row) => row.column_type === 'VARCHAR' && !typed.has(String(row.column_name).toLowerCase()))
    .map((row) => String(row.column_name));
  // A cheap look at the first rows rules out the ordinary text columns; the rest are checked in full.
  const sampled = await floatTextColumns(
    connection,
    `(SELECT * FROM ${quotedIdentifier(table)} LIMIT ${SAMPLE_ROWS})`,
    text,
    false,
  );
  return floatTextColumns(connection, quotedIdentifier(table), sampled, true);
}

const SAMPLE_ROWS = 20_480;

/** Of `names`, those holding only float text in `from` (and, if `complete`, some finite and some non-finite). */
async function floatTextColumns(
  connection: DuckDBConnection,
  from: string,
  names: readonly string[],
  complete: boolean,
): Promise<string[]> {
  if (names.length === 0) return [];
  const aggregates = names.flatMap((name, index) => {
    const column = quotedIdentifier(name);
    return [
      `count(*) FILTER (WHERE ${column} IS NOT NULL AND NOT regexp_full_match(${column}, ${quotedString(FLOAT_TEXT)})) AS other${index}`,
      `count(*) FILTER (WHERE ${column} IN ('inf', '-inf', 'nan')) AS special${index}`,
      `count(*) FILTER (WHERE regexp_full_match(${column}, ${quotedString(FINITE_TEXT)})) AS finite${index}`,
    ];
  });
  const reader = await connection.runAndReadAll(`SELECT ${aggregates.join(', ')} FROM ${from}`);
  const stats = reader.getRowObjectsJS()[0] ?? {};
  return names.filter(
    (_, index) =>
      Number(stats[`other${index}`]) === 0 &&
      (!complete || (Number(stats[`special${index}`]) > 0 && Number(stats[`finite${index}`]) > 0)),
  );
}

/**
 * Give each guessed number column (loaded as text) the type that keeps every value:
 * - DOUBLE when every value is one a double gives back (at most 15 digits, or written with an
 *   exponent, `inf`, `nan`: the forms floats are written in; or, with more digits, exactly the
 *   text DuckDB prints for that double);
 * - DECIMAL(18|38, s) when the values are plain decimals (`-123.4500`) and some have more digits
 *   than a double keeps, with the largest scale found and room for the longest integer part;
 * - VARCHAR (with a warning) when they need more than 38 digits, or mix long plain decimals with
 *   other forms: no DuckDB number type holds them exactly.
 */
export async function settleNumberColumns(
  connection: DuckDBConnection,
  table: string,
  columns: readonly string[],
  signal: AbortSignal,
  warn: (message: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  if (columns.length === 0) return;
  const aggregates = columns.flatMap((name, index) => {
    const column = quotedIdentifier(name);
    const plain = `regexp_full_match(${column}, ${quotedString(PLAIN_NUMBER)})`;
    const integers = `length(ltrim(split_part(ltrim(${column}, '+-'), '.', 1), '0'))`;
    const fraction = `length(split_part(${column}, '.', 2))`;
    return [
      `count(*) FILTER (WHERE ${column} IS NOT NULL AND NOT ${plain}) AS other${index}`,
      `coalesce(max(${integers} + ${fraction}) FILTER (WHERE ${plain}), 0) AS digits${index}`,
      `coalesce(max(${integers}) FILTER (WHERE ${plain}), 0) AS integers${index}`,
      `coalesce(max(${fraction}) FILTER (WHERE ${plain}), 0) AS scale${index}`,
      `count(*) FILTER (WHERE ${column} IS NOT NULL AND CAST(TRY_CAST(${column} AS DOUBLE) AS VARCHAR) IS DISTINCT FROM ${column}) AS unround${index}`,
    ];
  });
  const reader = await connection.runAndReadAll(
    `SELECT ${aggregates.join(', ')} FROM ${quotedIdentifier(table)}`,
  );
  const stats = reader.getRowObjectsJS()[0] ?? {};
  for (const [index, name] of columns.entries()) {
    const other = Number(stats[`other${index}`] ?? 0);
    const digits = Number(stats[`digits${index}`] ?? 0);
    const integers = Math.max(Number(stats[`integers${index}`] ?? 0), 1);
    const scale = Number(stats[`scale${index}`] ?? 0);
    const unround = Number(stats[`unround${index}`] ?? 0);
    let type: string | undefined;
    // Text that is exactly how DuckDB prints its double (`0.30000000000000004`, what a float
    // column written by Osiris or PostgreSQL looks like) comes back the same from a DOUBLE, however
    // many digits it has; a wide DECIMAL would hold it too, at many times the cost to parse.
    if (digits <= DOUBLE_EXACT_DIGITS || unround === 0) type = 'DOUBLE';
    else if (other === 0 && integers + scale <= MAX_DECIMAL_PRECISION) {
      const precision =
        integers + scale <= NARROW_DECIMAL_PRECISION ? NARROW_DECIMAL_PRECISION : MAX_DECIMAL_PRECISION;
      type = `DECIMAL(${precision},${scale})`;
    }
    if (!type) {
      warn(`column ${name} is kept as exact text`, {
        column: name,
        reason:
          other > 0
            ? `it mixes numbers of more than ${DOUBLE_EXACT_DIGITS} digits with other forms`
            : `it needs ${integers + scale} digits, DuckDB DECIMAL holds ${MAX_DECIMAL_PRECISION}`,
        hint: 'Set `columns` to give the column a type.',
      });
      continue;
    }
    const column = quotedIdentifier(name);
    try {
      await runInterruptible(
        connection,
        `ALTER TABLE ${quotedIdentifier(table)} ALTER COLUMN ${column} SET DATA TYPE ${type}`,
        signal,
      );
    } catch (error) {
      if (signal.aborted || isOsirisError(error)) throw error;
      // The sniffer saw numbers in its sample; a later value is something else.
      const found = await connection.runAndReadAll(
        `SELECT rowid + 1 AS row FROM ${quotedIdentifier(table)} WHERE ${column} IS NOT NULL AND TRY_CAST(${column} AS ${type}) IS NULL ORDER BY rowid LIMIT 1`,
      );
      const row = found.getRowObjectsJS()[0]?.row;
      throw new OsirisError(
        ErrorCodes.SOURCE_READ_FAILED,
        `column "${name}" looked like numbers, but ${row === undefined ? 'a value' : `the value in data row ${String(row)}`} is not a ${type}`,
        {
          hint: 'Set `columns` to give the column a type (VARCHAR keeps any text), or `null_values` for placeholders such as "NA".',
          details: { column: name, type, ...(row === undefined ? {} : { row: Number(row) }) },
        },
      );
    }
  }
}
