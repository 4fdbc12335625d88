import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { discoveryCall, withDiscoveryConnection } from './discovery-call.js';
import type { DiscoveryKit } from './discovery-family.js';
import {
  DEFAULT_QUERY_ROWS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  MAX_QUERY_ROWS,
  wholeNumberOption,
} from './discovery-limits.js';
import type { QueryResult, ReadonlyQueryOptions } from './types.js';

/**
 * One SQL statement, run so that it cannot write: a read-only transaction (or a database opened
 * read-only), a statement timeout and a row cap. A write fails with E_READ_ONLY_VIOLATION.
 */
export async function runReadonlyQuery(
  kit: DiscoveryKit,
  options: ReadonlyQueryOptions,
): Promise<QueryResult> {
  const maxRows = wholeNumberOption('maxRows', options.maxRows, {
    value: DEFAULT_QUERY_ROWS,
    minimum: 1,
    maximum: MAX_QUERY_ROWS,
  });
  const timeoutMs = wholeNumberOption('timeoutMs', options.timeoutMs, {
    value: DEFAULT_STATEMENT_TIMEOUT_MS,
    minimum: 1,
    maximum: 24 * 60 * 60 * 1000,
  });
  // A trailing `;` is habit, not a second statement.
  const sql = options.sql.trim().replace(/;+\s*$/, '');
  if (sql === '') {
    throw new OsirisError(ErrorCodes.USAGE, 'the query is empty', { hint: 'give one SELECT statement' });
  }
  return discoveryCall(kit, options, (source) =>
    withDiscoveryConnection(source, { signal: options.signal, statementTimeoutMs: timeoutMs }, (connection) =>
      connection.session.query(sql, [], { maxRows, timeoutMs }),
    ),
  );
}
