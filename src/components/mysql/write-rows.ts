import type { DataPlane } from '../../spec/driver.js';
import type { MysqlSession } from './client.js';
import { quoteMysqlIdentifier } from './extract-query.js';
import { InsertStatementBuilder } from './insert-statements.js';
import type { TargetColumn } from './target-columns.js';

export interface WriteRowsOptions {
  dataPlane: DataPlane;
  inputTable: string;
  columns: readonly TargetColumn[];
  /** Fully qualified, quoted MySQL table. */
  target: string;
  /** Appended to every INSERT, e.g. ON DUPLICATE KEY UPDATE ... */
  tail?: string;
  batchSize: number;
  maxStatementBytes: number;
  onProgress?: (rows: number) => void;
  /** Bytes of SQL text sent, per statement: the writer's `bytes_written`. */
  onBytes?: (bytes: number) => void;
}

/**
 * Read the input table from the data plane chunk by chunk and send multi-row INSERTs. Only one
 * chunk and one statement are in memory at a time. The caller owns the transaction.
 */
export async function writeRows(session: MysqlSession, options: WriteRowsOptions): Promise<number> {
  const { dataPlane, columns } = options;
  const projection = columns.map((column) => column.select(dataPlane.quote(column.name))).join(', ');
  const columnList = columns.map((column) => quoteMysqlIdentifier(column.name)).join(', ');
  const builder = new InsertStatementBuilder(
    `INSERT INTO ${options.target} (${columnList}) VALUES`,
    options.tail ?? '',
    { maxRows: options.batchSize, maxBytes: options.maxStatementBytes },
  );
  let written = 0;
  const send = async (statement: string | undefined, rowsSent: number) => {
    if (statement === undefined) return;
    await session.query.query(statement);
    options.onBytes?.(Buffer.byteLength(statement));
    options.onProgress?.(rowsSent);
  };
  const source = `SELECT ${projection} FROM ${dataPlane.quote(options.inputTable)}`;
  for await (const chunk of dataPlane.readChunks(source, options.batchSize)) {
    for (const row of chunk.rows) {
      const values = columns.map((column, index) => session.raw.escape(column.convert(row[index])));
      const statement = builder.add(`(${values.join(', ')})`);
      await send(statement, written);
      written += 1;
    }
  }
  await send(builder.finish(), written);
  return written;
}
