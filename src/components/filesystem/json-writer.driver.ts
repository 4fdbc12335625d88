import { quotedIdentifier } from '@duckdb/node-api';
import type { ColumnInfo, Driver } from '../../spec/driver.js';
import { copyToFile } from './copy-to-file.js';
import { singleInputTable, writeOutputFile } from './output-file.js';

const COMPONENT = 'filesystem.json_writer';

/**
 * filesystem.json_writer: DuckDB's COPY … (FORMAT json), one object per line (`jsonl`) or one
 * array (`array`). DuckDB writes BIGINT, HUGEINT and DECIMAL as exact number literals (never
 * through a double). A few columns are rewritten first so the file is valid, portable JSON:
 * - timestamps as ISO 8601 text, the same as the data plane hands to JS (`2024-01-02T03:04:05.5`,
 *   TIMESTAMPTZ in UTC with `Z`);
 * - FLOAT/DOUBLE NaN and ±Infinity as null (JSON has no literal for them);
 * - BLOB as base64 text.
 */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const table = singleInputTable(inputs, COMPONENT);
    const columns = await ctx.dataPlane.columns(table);
    const select = `SELECT ${columns.map(jsonColumn).join(', ')} FROM main.${quotedIdentifier(table)}`;
    const options = config.format === 'array' ? 'FORMAT json, ARRAY true' : 'FORMAT json';
    const rows = await writeOutputFile(ctx, String(config.path), (tempPath) =>
      copyToFile(ctx, select, tempPath, options),
    );
    return { rows };
  },
};

function jsonColumn(column: ColumnInfo): string {
  const name = quotedIdentifier(column.name);
  // The session time zone is UTC, so a TIMESTAMPTZ always renders with `+00`.
  const isoText = `regexp_replace(CAST(${name} AS VARCHAR), ' ', 'T')`;
  switch (column.type) {
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
      return `${isoText} AS ${name}`;
    case 'TIMESTAMP WITH TIME ZONE':
      return `regexp_replace(${isoText}, '\\+00$', 'Z') AS ${name}`;
    case 'FLOAT':
    case 'DOUBLE':
      return `CASE WHEN isfinite(${name}) THEN ${name} END AS ${name}`;
    case 'BLOB':
      return `base64(${name}) AS ${name}`;
    default:
      return name;
  }
}
