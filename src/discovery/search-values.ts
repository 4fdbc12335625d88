import { ErrorCodes, isOsirisError, OsirisError } from '../spec/errors.js';
import type { Redactor } from '../util/redactor.js';
import { discoverDatabase } from './discover-database.js';
import { discoveryCall, withDiscoveryConnection } from './discovery-call.js';
import type { DiscoveryKit } from './discovery-family.js';
import {
  DEFAULT_SEARCH_ROWS_PER_COLUMN,
  DEFAULT_SEARCH_TIMEOUT_MS,
  MAX_SAMPLE_ROWS,
  wholeNumberOption,
} from './discovery-limits.js';
import type { ReadonlySession } from './readonly-session.js';
import { fetchRelatedRows, relationsOf } from './related-rows.js';
import { searchTable } from './search-table.js';
import { isTextType } from './text-types.js';
import type { SearchHit, SearchOptions, SearchResult, TableProfile } from './types.js';

/** Failures that end the search rather than skipping one table. */
const FATAL_CODES = new Set<string>([
  ErrorCodes.CANCELLED,
  ErrorCodes.CONNECTION_FAILED,
  ErrorCodes.AUTH_FAILED,
]);

/**
 * Find a literal (a person's name, an order number…) in the text columns of every table, and
 * for each hit the rows joined to it through foreign keys, all within a time budget. The table
 * list comes from discovery (cached); the search itself always reads live data.
 */
export async function searchValues(kit: DiscoveryKit, options: SearchOptions): Promise<SearchResult> {
  const text = options.text.trim();
  if (text === '') {
    throw new OsirisError(ErrorCodes.USAGE, 'the search text is empty', {
      hint: 'give a value to look for, e.g. a name',
    });
  }
  const limitPerColumn = wholeNumberOption('limitPerColumn', options.limitPerColumn, {
    value: DEFAULT_SEARCH_ROWS_PER_COLUMN,
    minimum: 1,
    maximum: MAX_SAMPLE_ROWS,
  });
  const timeoutMs = wholeNumberOption('timeoutMs', options.timeoutMs, {
    value: DEFAULT_SEARCH_TIMEOUT_MS,
    minimum: 1,
    maximum: 60 * 60 * 1000,
  });
  const deadline = Date.now() + timeoutMs;
  return discoveryCall(kit, options, async (source, redactor) => {
    const profile = await discoverDatabase(kit, {
      projectDir: options.projectDir,
      ref: options.ref,
      ...(options.env ? { env: options.env } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.tables ? { tables: options.tables } : {}),
      ...(options.refresh ? { refresh: true } : {}),
      samples: 0,
    });
    const result: SearchResult = {
      connection: source.ref,
      text,
      hits: [],
      searched_tables: 0,
      skipped_tables: profile.tables.filter((table) => table.error).map(tableLabel),
      timed_out: false,
      catalog_cached: profile.cached,
      warnings: [...profile.warnings],
    };
    const searchable = profile.tables.filter(
      (table) => !table.error && table.columns.some((column) => isTextType(column.type)),
    );
    await withDiscoveryConnection(source, { signal: options.signal }, async ({ session }) => {
      await searchTables(session, searchable, { text, limitPerColumn, deadline }, result, redactor);
      await addRelatedRows(session, profile.tables, deadline, result, redactor);
    });
    return result;
  });
}

async function searchTables(
  session: ReadonlySession,
  tables: readonly TableProfile[],
  search: { text: string; limitPerColumn: number; deadline: number },
  result: SearchResult,
  redactor: Redactor,
): Promise<void> {
  for (const [index, table] of tables.entries()) {
    const remaining = search.deadline - Date.now();
    if (remaining <= 0) {
      result.timed_out = true;
      result.skipped_tables.push(...tables.slice(index).map(tableLabel));
      return;
    }
    try {
      result.hits.push(...(await searchTable(session, table, search.text, search.limitPerColumn, remaining)));
      result.searched_tables += 1;
    } catch (error) {
      if (!isOsirisError(error) || FATAL_CODES.has(error.code)) throw error;
      if (error.code === ErrorCodes.TIMEOUT) result.timed_out = true;
      result.skipped_tables.push(tableLabel(table));
      result.warnings.push(redactor.text(`${tableLabel(table)} was not searched: ${error.message}`));
    }
  }
}

async function addRelatedRows(
  session: ReadonlySession,
  tables: readonly TableProfile[],
  deadline: number,
  result: SearchResult,
  redactor: Redactor,
): Promise<void> {
  for (const hit of result.hits) {
    for (const relation of relationsOf(hit, tables)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        result.timed_out = true;
        result.warnings.push('the time budget ran out before every related row was read');
        return;
      }
      try {
        const related = await fetchRelatedRows(session, hit, relation, remaining);
        if (related) hit.related.push(related);
      } catch (error) {
        if (!isOsirisError(error) || FATAL_CODES.has(error.code)) throw error;
        result.warnings.push(
          redactor.text(
            `rows of ${relation.target.name} related to ${hitLabel(hit)} could not be read: ${error.message}`,
          ),
        );
      }
    }
  }
}

function tableLabel(table: Pick<TableProfile, 'schema' | 'name'>): string {
  return `${table.schema}.${table.name}`;
}

function hitLabel(hit: SearchHit): string {
  return `${hit.table}.${hit.column}`;
}
