import { type DuckDBConnection, quotedIdentifier } from '@duckdb/node-api';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/**
 * Refuses anything but one statement: the query is spliced into `CREATE TABLE … AS <query>`, and a
 * second statement after a `;` would otherwise run as well (`SELECT 1; DROP TABLE df_orders`).
 */
export async function assertSingleStatement(
  connection: DuckDBConnection,
  query: string,
  component: string,
): Promise<void> {
  const statements = await connection.extractStatements(query);
  if (statements.count !== 1) {
    throw new OsirisError(
      ErrorCodes.QUERY_FAILED,
      `The query holds ${statements.count} statements; ${component} runs exactly one SELECT.`,
      { hint: 'Combine the parts with common table expressions: `WITH a AS (...), b AS (...) SELECT ...`.' },
    );
  }
}

/** `main.movies` → `"main"."movies"`; a name without dots is one identifier. */
export function qualifiedName(name: string): string {
  return name.split('.').map(quotedIdentifier).join('.');
}
