import type { Driver } from '../../spec/driver.js';
import { fetchPages } from './pages.js';
import { RecordsTable } from './records-table.js';
import { restPageSource } from './rest-source.js';
import { keepIncrementalWindow, windowParams } from './window-filter.js';

/**
 * rest.extractor: every page of a JSON API into the step's table. Pages are fetched one at a time
 * and streamed to disk; the table appears only once the last page has arrived, so a failure on any
 * page (malformed JSON, a timeout, retries exhausted) leaves no partial output. An incremental
 * step sends its window as the API's own parameters (`incremental.param`, `end_param`) and keeps
 * only the records inside it.
 */
export const driver: Driver = {
  async run({ stepId, config, ctx }) {
    const window = ctx.incremental;
    const params = {
      ...(config.params as Record<string, unknown> | undefined),
      ...windowParams(config.incremental, window),
    };
    const source = restPageSource(ctx.connection, { ...config, params }, ctx);
    const table = ctx.dataPlane.tableFor(stepId);
    const records = new RecordsTable(ctx.dataPlane, table);
    let pages = 0;
    let bytes = 0;
    try {
      for await (const page of fetchPages(source)) {
        await records.append(page.records);
        pages = page.number;
        bytes += page.bytes;
        ctx.progress(records.rows);
      }
    } catch (error) {
      await records.discard();
      throw error;
    }
    const columns = await records.finish();
    ctx.log.event('source_described', {
      columns: columns.map((column) => ({ name: column.name, type: column.type })),
      pages,
      bytes,
    });
    if (!window) return { table, rows: records.rows };
    const dataPlane = ctx.dataPlane;
    const rows = await keepIncrementalWindow({
      dataPlane,
      table,
      columns,
      window,
      component: 'rest.extractor',
    });
    ctx.log.debug('incremental window applied to the records', { received: records.rows, kept: rows });
    return { table, rows };
  },
};
