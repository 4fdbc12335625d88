import { quotedIdentifier } from '@duckdb/node-api';
import type { Driver } from '../../spec/driver.js';
import { fileWriteMode, refuseExistingFile, runOutputPath, writePartitionedFiles } from './append-output.js';
import { copyToFile } from './copy-to-file.js';
import { csvCopyOptions, csvFormatFromConfig } from './csv-format.js';
import { writeEncodedCsv } from './encoded-csv-writer.js';
import { selectedColumns, singleInputTable, writeOutputFile } from './output-file.js';

const COMPONENT = 'filesystem.csv_writer';

/**
 * filesystem.csv_writer: UTF-8 files come from DuckDB's COPY (streamed inside DuckDB); UTF-16 and
 * latin-1, which COPY cannot write, from a chunked JS writer that formats fields the same way.
 */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const table = singleInputTable(inputs, COMPONENT);
    const columns = await selectedColumns(ctx.dataPlane, table, config.columns, COMPONENT);
    const format = csvFormatFromConfig(config);
    const writeMode = fileWriteMode(config, COMPONENT);
    const path = runOutputPath(String(config.path), ctx);
    if (writeMode.partitionBy.length > 0) {
      // DuckDB writes the partition files itself (UTF-8); the partition columns become folder names.
      const list = [...columns.map((column) => column.name), ...writeMode.partitionBy]
        .filter((name, index, all) => all.indexOf(name) === index)
        .map((name) => quotedIdentifier(name))
        .join(', ');
      const rows = await writePartitionedFiles({
        ctx,
        folder: path,
        select: `SELECT ${list} FROM main.${quotedIdentifier(table)}`,
        copyOptions: csvCopyOptions(format),
        partitionBy: writeMode.partitionBy,
        extension: 'csv',
      });
      return { rows };
    }
    if (writeMode.mode === 'append') refuseExistingFile(ctx, path, COMPONENT);
    const rows = await writeOutputFile(ctx, path, async (tempPath) => {
      if (format.encoding !== 'utf-8') return writeEncodedCsv(ctx, table, columns, format, tempPath);
      const list = columns.map((column) => quotedIdentifier(column.name)).join(', ');
      return copyToFile(
        ctx,
        `SELECT ${list} FROM main.${quotedIdentifier(table)}`,
        tempPath,
        csvCopyOptions(format),
      );
    });
    return { rows };
  },
};
