import type { ResolvedConnection } from '../../spec/connection.js';
import { openPostgresSession } from './client.js';
import type { SslMode } from './connection-settings.js';
import { connectionOverrides } from './extractor-config.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

/**
 * The largest value of `column` in a writer's target table, as PostgreSQL prints it (timestamps in
 * UTC), for recovering a lost incremental state. Undefined when the table is empty.
 */
export async function maxCursorInPostgresTable(
  connection: ResolvedConnection,
  writerConfig: Record<string, unknown>,
  column: string,
  component: string,
  options: { defaultSslMode?: SslMode } = {},
): Promise<string | undefined> {
  const table = String(writerConfig.table);
  const schema = typeof writerConfig.schema === 'string' ? writerConfig.schema : 'public';
  const session = await openPostgresSession(connection, {
    overrides: connectionOverrides(writerConfig, component),
    ...options,
  });
  try {
    await session.client.query("SET TimeZone = 'UTC'");
    const result = await session.client.query({
      text: `SELECT max(${quoteIdentifier(column)})::text FROM ${qualifiedName(schema, table)}`,
      rowMode: 'array',
    });
    const value = (result.rows as unknown[][])[0]?.[0];
    return value === null || value === undefined ? undefined : String(value);
  } finally {
    await session.close();
  }
}
