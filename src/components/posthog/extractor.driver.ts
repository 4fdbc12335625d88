import type { Driver } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { IncrementalWindow } from '../../spec/incremental.js';
import { describeUrl, requestJson } from '../rest/http-request.js';
import { RecordsTable } from '../rest/records-table.js';
import { restPageSource } from '../rest/rest-source.js';
import { posthogApi } from './posthog-api.js';

const TABLES = {
  events: {
    from: 'events',
    time: 'timestamp',
    id: 'uuid',
    columns: 'uuid, event, timestamp, distinct_id, properties',
  },
  persons: { from: 'persons', time: 'created_at', id: 'id', columns: 'id, created_at, properties' },
} as const;

/**
 * posthog.extractor: HogQL queries in keyset order (time, id), `page_size` rows each, until a
 * short page. Each row is stored as an object under the column names the API returns. Read
 * incrementally, the window's bounds join the query's own time conditions.
 */
export const driver: Driver = {
  async run({ stepId, config, ctx }) {
    const { connection, projectId } = posthogApi(ctx.connection);
    const source = restPageSource(
      connection,
      {
        path: `/api/projects/${encodeURIComponent(String(projectId))}/query/`,
        timeout: config.timeout ?? 120,
        retries: config.retries,
      },
      ctx,
    );
    const kind = TABLES[(config.data_type as keyof typeof TABLES) ?? 'events'] ?? TABLES.events;
    const window = ctx.incremental;
    if (window && window.cursor !== kind.time) {
      throw new OsirisError(
        ErrorCodes.CURSOR_INVALID,
        `posthog.extractor: ${kind.from} are read incrementally on \`${kind.time}\`, not \`${window.cursor}\``,
        { hint: `set \`incremental.cursor: ${kind.time}\`` },
      );
    }
    const pageSize = Number(config.page_size ?? 10_000);
    const table = ctx.dataPlane.tableFor(stepId);
    const records = new RecordsTable(ctx.dataPlane, table);
    let after: { time: unknown; id: unknown } | undefined;
    try {
      for (;;) {
        const query = hogql(kind, config, pageSize, after, window);
        const request = await source.authenticator.apply({
          url: source.url,
          method: 'POST',
          headers: { ...source.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query: { kind: 'HogQLQuery', query } }),
        });
        const response = await requestJson({ ...request, method: 'POST' }, source.policy);
        const body = response.body as { results?: unknown[][]; columns?: string[] } | null;
        if (!Array.isArray(body?.results) || !Array.isArray(body?.columns)) {
          throw new OsirisError(
            ErrorCodes.RESPONSE_INVALID,
            `${describeUrl(source.url)} answered without results and columns`,
            {
              hint: 'check base_url and project_id of the connection.',
            },
          );
        }
        const columns = body.columns;
        const rows = body.results.map((values) =>
          Object.fromEntries(columns.map((name, index) => [name, values[index]])),
        );
        await records.append(rows);
        ctx.progress(records.rows);
        const last = rows.at(-1);
        if (!last || rows.length < pageSize) break;
        after = { time: last[kind.time], id: last[kind.id] };
      }
    } catch (error) {
      await records.discard();
      throw error;
    }
    await records.finish();
    return { table, rows: records.rows };
  },
};

/** The page query; values are HogQL string literals, quoted (no user text reaches the query unquoted). */
export function hogql(
  kind: (typeof TABLES)[keyof typeof TABLES],
  config: Record<string, unknown>,
  pageSize: number,
  after: { time: unknown; id: unknown } | undefined,
  window?: IncrementalWindow,
): string {
  const conditions: string[] = [];
  // The incremental window narrows whatever `since`/`until` say: both bounds hold.
  if (window?.from !== undefined) conditions.push(`${kind.time} >= toDateTime(${literal(window.from)})`);
  if (window?.to !== undefined) conditions.push(`${kind.time} < toDateTime(${literal(window.to)})`);
  if (typeof config.since === 'string')
    conditions.push(`${kind.time} >= toDateTime(${literal(config.since)})`);
  if (typeof config.until === 'string')
    conditions.push(`${kind.time} < toDateTime(${literal(config.until)})`);
  if (kind.from === 'events' && Array.isArray(config.event_names)) {
    conditions.push(`event IN (${config.event_names.map((name) => literal(String(name))).join(', ')})`);
  }
  if (after) {
    const time = `toDateTime(${literal(String(after.time))})`;
    conditions.push(
      `(${kind.time} > ${time} OR (${kind.time} = ${time} AND toString(${kind.id}) > ${literal(String(after.id))}))`,
    );
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${kind.columns} FROM ${kind.from}${where} ORDER BY ${kind.time}, toString(${kind.id}) LIMIT ${pageSize}`;
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
