import { quotedIdentifier, quotedString } from '@duckdb/node-api';
import type { Driver } from '../../spec/driver.js';
import { copyToFile } from './copy-to-file.js';
import { singleInputTable, writeOutputFile } from './output-file.js';

const COMPONENT = 'filesystem.parquet_writer';
const COMPRESSIONS = new Set(['snappy', 'zstd', 'gzip', 'uncompressed']);

/** filesystem.parquet_writer: DuckDB's COPY … (FORMAT parquet), every column in input order. */
export const driver: Driver = {
  async run({ config, inputs, ctx }) {
    const table = singleInputTable(inputs, COMPONENT);
    const compression = COMPRESSIONS.has(String(config.compression)) ? String(config.compression) : 'snappy';
    const rowGroupSize = Number.isInteger(config.row_group_size) ? Number(config.row_group_size) : 122_880;
    const options = `FORMAT parquet, COMPRESSION ${quotedString(compression)}, ROW_GROUP_SIZE ${rowGroupSize}`;
    const rows = await writeOutputFile(ctx, String(config.path), (tempPath) =>
      copyToFile(ctx, `SELECT * FROM main.${quotedIdentifier(table)}`, tempPath, options),
    );
    return { rows };
  },
};
