import type { Driver } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { describeUrl, requestJson } from '../rest/http-request.js';
import { parseJsonPath, valueAt } from '../rest/json-path.js';
import { selectRecords } from '../rest/pages.js';
import { RecordsTable } from '../rest/records-table.js';
import { restPageSource } from '../rest/rest-source.js';

/**
 * graphql.extractor: POST the query, store the records, and while `pageInfo.hasNextPage` holds,
 * POST it again with `endCursor` in the cursor variable. The HTTP policy (auth, retries, timeouts,
 * size limit) and the streamed, all-or-nothing table are rest.extractor's.
 */
export const driver: Driver = {
  async run({ stepId, config, ctx }) {
    const source = restPageSource(
      ctx.connection,
      { ...config, paginate: undefined, records: undefined },
      ctx,
    );
    const recordsPath = parseJsonPath(String(config.records));
    const pageInfoPath = typeof config.page_info === 'string' ? parseJsonPath(config.page_info) : undefined;
    const cursorVariable = typeof config.cursor_variable === 'string' ? config.cursor_variable : 'after';
    const maxPages = typeof config.max_pages === 'number' ? config.max_pages : 100_000;
    const table = ctx.dataPlane.tableFor(stepId);
    const records = new RecordsTable(ctx.dataPlane, table);
    const variables: Record<string, unknown> = { ...((config.variables as Record<string, unknown>) ?? {}) };
    let pages = 0;
    try {
      for (;;) {
        if (pages >= maxPages) {
          throw new OsirisError(
            ErrorCodes.SOURCE_READ_FAILED,
            `${describeUrl(source.url)} still had more pages after max_pages (${maxPages})`,
            {
              hint: 'raise `max_pages`, or check that the query passes the cursor variable to `after`.',
            },
          );
        }
        const request = await source.authenticator.apply({
          url: source.url,
          method: 'POST',
          headers: { ...source.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query: config.query, variables }),
        });
        const response = await requestJson({ ...request, method: 'POST' }, source.policy);
        pages += 1;
        const errors = (response.body as { errors?: { message?: string }[] } | null)?.errors;
        if (Array.isArray(errors) && errors.length > 0) {
          throw new OsirisError(
            ErrorCodes.SOURCE_READ_FAILED,
            `${describeUrl(source.url)}: the GraphQL query failed: ${errors
              .map((error) => error.message ?? JSON.stringify(error))
              .join('; ')
              .slice(0, 500)}`,
            { hint: 'check `query` and `variables` against the API schema.' },
          );
        }
        const page = selectRecords(response.body, recordsPath, String(config.records), source.url);
        await records.append(page);
        ctx.progress(records.rows);
        if (!pageInfoPath || page.length === 0) break;
        const info = valueAt(response.body, pageInfoPath) as
          | { hasNextPage?: unknown; endCursor?: unknown }
          | undefined;
        if (info?.hasNextPage !== true || info.endCursor === undefined || info.endCursor === null) break;
        variables[cursorVariable] = info.endCursor;
      }
    } catch (error) {
      await records.discard();
      throw error;
    }
    const columns = await records.finish();
    ctx.log.event('source_described', {
      columns: columns.map((column) => ({ name: column.name, type: column.type })),
      pages,
    });
    return { table, rows: records.rows };
  },
};
