import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataPlane } from '../../spec/driver.js';
import type { SourceColumn } from './describe-query.js';
import { MAX_DECIMAL_PRECISION } from './postgres-to-duckdb-type.js';

/** DECIMAL up to 18 digits is a 64-bit integer in DuckDB; wider ones cost 128 bits. */
const NARROW_DECIMAL_PRECISION = 18;

/**
 * Unconstrained `numeric` columns have no fixed scale, so they are loaded as PostgreSQL's exact
 * text and then converted to the narrowest DECIMAL(18|38, s) that holds every value read. A
 * column that holds NaN or Infinity, or needs more than 38 digits, stays text (with a warning):
 * no DuckDB number type holds those values exactly. Returns the columns with their final types.
 */
export async function narrowNumericColumns(
  duckdb: DuckDBConnection,
  dataPlane: DataPlane,
  table: string,
  columns: readonly SourceColumn[],
  onWarning?: (message: string, fields: Record<string, unknown>) => void,
): Promise<SourceColumn[]> {
  const numeric = columns.filter((column) => column.inferDecimal);
  if (numeric.length === 0) return [...columns];
  const aggregates = numeric.flatMap((column, index) => {
    const name = dataPlane.quote(column.name);
    return [
      `count(*) FILTER (WHERE NOT regexp_full_match(${name}, '-?[0-9]+(\\.[0-9]+)?')) AS other${index}`,
      `coalesce(max(length(split_part(ltrim(${name}, '-'), '.', 1))), 1) AS integers${index}`,
      `coalesce(max(length(split_part(${name}, '.', 2))), 0) AS scale${index}`,
    ];
  });
  const reader = await duckdb.runAndReadAll(`SELECT ${aggregates.join(', ')} FROM ${table}`);
  const stats = reader.getRowObjectsJS()[0] ?? {};
  const narrowed = new Map<SourceColumn, string>();
  for (const [index, column] of numeric.entries()) {
    const other = Number(stats[`other${index}`] ?? 0);
    const integers = Number(stats[`integers${index}`] ?? 1);
    const scale = Number(stats[`scale${index}`] ?? 0);
    if (other > 0 || integers + scale > MAX_DECIMAL_PRECISION) {
      onWarning?.(`column ${column.name} (numeric) is kept as exact text`, {
        column: column.name,
        reason:
          other > 0
            ? 'it holds NaN or Infinity'
            : `it needs ${integers + scale} digits, DuckDB DECIMAL holds 38`,
      });
      continue;
    }
    const precision =
      integers + scale <= NARROW_DECIMAL_PRECISION ? NARROW_DECIMAL_PRECISION : MAX_DECIMAL_PRECISION;
    const type = `DECIMAL(${precision},${scale})`;
    await duckdb.run(
      `ALTER TABLE ${table} ALTER COLUMN ${dataPlane.quote(column.name)} SET DATA TYPE ${type}`,
    );
    narrowed.set(column, type);
  }
  return columns.map((column) => {
    const duckdbType = narrowed.get(column);
    return duckdbType ? { ...column, duckdbType } : column;
  });
}
