import { CATALOG_ROW_CAP } from '../discovery-limits.js';
import type { ReadonlySession } from '../readonly-session.js';
import type { QueryResult } from '../types.js';

/** A catalog query: capped far above any real catalog, with a warning if the cap is ever reached. */
export async function catalogQuery(
  session: ReadonlySession,
  sql: string,
  parameters: readonly unknown[],
  warnings: string[],
): Promise<QueryResult> {
  const result = await session.query(sql, parameters, { maxRows: CATALOG_ROW_CAP });
  if (result.truncated) {
    warnings.push(`a catalog query returned more than ${CATALOG_ROW_CAP} rows; the profile is incomplete`);
  }
  return result;
}
