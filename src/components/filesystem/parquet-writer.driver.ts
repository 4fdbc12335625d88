import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { ColumnInfo, Driver } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { fileWriteMode, refuseExistingFile, runOutputPath, writePartitionedFiles } from './append-output.js';
import { copyToFile } from './copy-to-file.js';
import { singleInputTable, writeOutputFile } from './output-file.js';

const COMPONENT = 'filesystem.parquet_writer';
const COMPRESSIONS = new Set(['snappy', 'zstd', 'gzip', 'uncompressed']);

/** filesystem.parquet_writer: DuckDB's COPY … (FORMAT parquet), every column in input order. */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const table = singleInputTable(inputs, COMPONENT);
    const columns = await ctx.dataPlane.columns(table);
    const compression = COMPRESSIONS.has(String(config.compression)) ? String(config.compression) : 'snappy';
    const rowGroupSize = Number.isInteger(config.row_group_size) ? Number(config.row_group_size) : 122_880;
    const options = `FORMAT parquet, COMPRESSION ${quotedString(compression)}, ROW_GROUP_SIZE ${rowGroupSize}`;
    const select = `SELECT ${columns.map(parquetColumn).join(', ')} FROM main.${quotedIdentifier(table)}`;
    const writeMode = fileWriteMode(config, COMPONENT);
    const path = runOutputPath(String(config.path), ctx);
    if (writeMode.partitionBy.length > 0) {
      const rows = await writePartitionedFiles({
        ctx,
        folder: path,
        select,
        copyOptions: options,
        partitionBy: writeMode.partitionBy,
        extension: 'parquet',
      });
      return { rows };
    }
    if (writeMode.mode === 'append') refuseExistingFile(ctx, path, COMPONENT);
    const rows = await writeOutputFile(ctx, path, (tempPath) =>
      copyToFile(ctx, select, tempPath, options).catch((error: unknown) => {
        throw intervalError(error, columns) ?? error;
      }),
    );
    return { rows };
  },
};

/**
 * Parquet's INTERVAL holds no negative part and only milliseconds, so DuckDB refuses a MySQL
 * `TIME '-838:59:59'` or PostgreSQL `'-3 days +04:05:06'` and drops microseconds. Intervals are
 * written as DuckDB's interval text instead (`-838:59:59`, `1 year 2 months -3 days 04:05:06.000007`),
 * which `CAST(x AS INTERVAL)`, PostgreSQL and MySQL read back exactly; lists of intervals as lists of text.
 */
function parquetColumn(column: ColumnInfo): string {
  const name = quotedIdentifier(column.name);
  if (column.type === 'INTERVAL') return `CAST(${name} AS VARCHAR) AS ${name}`;
  if (/^INTERVAL(\[\d*\])+$/.test(column.type))
    return `CAST(${name} AS ${column.type.replace('INTERVAL', 'VARCHAR')}) AS ${name}`;
  return name;
}

/** An interval nested in a struct or map still reaches DuckDB's writer: name the columns that hold one. */
function intervalError(error: unknown, columns: readonly ColumnInfo[]): OsirisError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/do not support negative intervals/i.test(message)) return undefined;
  const holders = columns.filter((column) => column.type.includes('INTERVAL'));
  return new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `${COMPONENT}: Parquet cannot store a negative interval, found in ${holders
      .map((column) => `column "${column.name}" (${column.type})`)
      .join(', ')}`,
    {
      hint: 'Cast the interval to text in a duckdb.processor step first (e.g. `CAST(col AS VARCHAR)`), or write CSV or JSON.',
      details: { columns: holders.map((column) => column.name) },
      cause: error,
    },
  );
}
