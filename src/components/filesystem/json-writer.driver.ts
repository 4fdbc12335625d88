import { appendFile, stat, truncate } from 'node:fs/promises';
import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { ColumnInfo, Driver } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { fileWriteMode, refuseExistingFile, runOutputPath } from './append-output.js';
import { copyToFile } from './copy-to-file.js';
import { jsonValueSql, NON_FINITE_MARKER, type NonFinitePolicy } from './json-value-sql.js';
import { singleInputTable, writeOutputFile } from './output-file.js';

const COMPONENT = 'filesystem.json_writer';

/**
 * filesystem.json_writer: each row's JSON text is built in DuckDB (jsonValueSql spells out the
 * types DuckDB's own JSON writer would change: JSON documents verbatim, floats at their width,
 * NaN/±Infinity per `non_finite`) and streamed to the file by a COPY that writes the lines as they
 * are. BIGINT, HUGEINT and DECIMAL are exact number literals, never through a double.
 *
 * `array` gets its `[` from the COPY's header line and a `,` after every row; the last row's
 * comma is cut off and `]` appended afterwards, so the rows still stream.
 */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const table = singleInputTable(inputs, COMPONENT);
    const columns = await ctx.dataPlane.columns(table);
    const nonFinite = nonFinitePolicy(config.non_finite);
    const object = objectSql(columns, nonFinite, config.omit_nulls === true);
    const array = config.format === 'array';
    const line = array ? `chr(9) || ${object} || ','` : object;
    const select = `SELECT ${line} AS ${quotedIdentifier(array ? '[' : 'line')} FROM main.${quotedIdentifier(table)}`;
    // No quoting or escaping: each line is already JSON text without a raw line break.
    const options = `FORMAT csv, HEADER ${array}, QUOTE '', ESCAPE '', DELIMITER ${quotedString('\u0001')}, NEW_LINE '\n'`;
    const writeMode = fileWriteMode(config, COMPONENT);
    const path = runOutputPath(String(config.path), ctx);
    if (writeMode.mode === 'append') refuseExistingFile(ctx, path, COMPONENT);
    const rows = await writeOutputFile(ctx, path, async (tempPath) => {
      const written = await copyToFile(ctx, select, tempPath, options).catch((error: unknown) => {
        throw nonFiniteError(error) ?? error;
      });
      if (array) await closeArray(tempPath, written);
      return written;
    });
    return { rows };
  },
};

function nonFinitePolicy(value: unknown): NonFinitePolicy {
  return value === 'null' || value === 'error' ? value : 'string';
}

/** `{"name":value,...}`; with `omitNulls` a SQL NULL leaves its key out (concat_ws skips NULLs). */
function objectSql(columns: readonly ColumnInfo[], nonFinite: NonFinitePolicy, omitNulls: boolean): string {
  if (columns.length === 0) return `'{}'`;
  const members = columns.map((column) => {
    const value = jsonValueSql(quotedIdentifier(column.name), column.type, column.name, nonFinite);
    const key = quotedString(`${JSON.stringify(column.name)}:`);
    return omitNulls ? `${key} || ${value}` : `${key} || coalesce(${value}, 'null')`;
  });
  return `'{' || concat_ws(',', ${members.join(', ')}) || '}'`;
}

/** `[\n` + rows as `\t{…},\n` → cut the last `,\n`, add `\n]\n` (an empty array is `[\n]\n`). */
async function closeArray(path: string, rows: number): Promise<void> {
  if (rows > 0) await truncate(path, (await stat(path)).size - 2);
  await appendFile(path, rows > 0 ? '\n]\n' : ']\n');
}

function nonFiniteError(error: unknown): OsirisError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const found = new RegExp(`${NON_FINITE_MARKER}: (.*)$`, 'm').exec(message);
  if (!found) return undefined;
  return new OsirisError(
    ErrorCodes.WRITE_FAILED,
    `${COMPONENT}: ${found[1]}, which JSON has no number for (non_finite: error)`,
    {
      hint: 'Set `non_finite: string` to write "NaN", "Infinity" and "-Infinity" as strings, or `non_finite: null`, or filter the rows first.',
      cause: error,
    },
  );
}
