import type { ResolvedConnection } from '../../spec/connection.js';
import { connectMysql } from './client.js';
import { resolveMysqlSettings } from './connection-settings.js';
import { qualifiedTableName, quoteMysqlIdentifier } from './extract-query.js';

/**
 * The largest value of `column` in a writer's target table, as text, for recovering a lost
 * incremental state (`SELECT MAX(column)`). Undefined when the table is empty.
 */
export async function maxCursorInMysqlTable(
  connection: ResolvedConnection,
  writerConfig: Record<string, unknown>,
  column: string,
): Promise<string | undefined> {
  const table = String(writerConfig.table);
  const schema = typeof writerConfig.schema === 'string' ? writerConfig.schema : undefined;
  const session = await connectMysql(resolveMysqlSettings(connection, writerConfig));
  try {
    const [rows] = await session.query.query({
      sql: `SELECT CAST(MAX(${quoteMysqlIdentifier(column)}) AS CHAR) FROM ${qualifiedTableName(table, schema)}`,
      rowsAsArray: true,
    });
    const value = (rows as unknown[][])[0]?.[0];
    return value === null || value === undefined ? undefined : String(value);
  } finally {
    await session.close();
  }
}
