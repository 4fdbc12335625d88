import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnInfo, DataPlane } from '../../spec/driver.js';

/**
 * Records of many pages into one data-plane table without holding them: each page is appended to
 * an NDJSON file in the run folder as it arrives, and DuckDB reads the file once every page is in
 * (`read_json` infers the schema from all records: nested objects become STRUCT, lists LIST,
 * mixed shapes JSON). The table exists only when every page arrived; on any failure the file is
 * removed and no table is left.
 */
export class RecordsTable {
  readonly #file: string;
  readonly #out;
  #rows = 0;
  #closed = false;

  constructor(
    private readonly dataPlane: DataPlane,
    private readonly table: string,
  ) {
    this.#file = join(dataPlane.directory, `${table}.${process.pid}.${Date.now()}.ndjson`);
    this.#out = createWriteStream(this.#file);
  }

  get rows(): number {
    return this.#rows;
  }

  async append(records: readonly unknown[]): Promise<void> {
    const lines: string[] = [];
    for (const record of records) {
      const object =
        record !== null && typeof record === 'object' && !Array.isArray(record) ? record : { value: record };
      lines.push(JSON.stringify(object));
    }
    if (lines.length === 0) return;
    this.#rows += lines.length;
    if (!this.#out.write(`${lines.join('\n')}\n`)) await once(this.#out, 'drain');
  }

  /** Create the table from every record appended; returns its columns. */
  async finish(): Promise<ColumnInfo[]> {
    await this.#close();
    const quote = this.dataPlane.quote.bind(this.dataPlane);
    try {
      if (this.#rows === 0) {
        await this.dataPlane.run(`CREATE OR REPLACE TABLE ${quote(this.table)} (record JSON)`);
      } else {
        const file = this.#file.replace(/'/g, "''");
        await this.dataPlane.run(
          `CREATE OR REPLACE TABLE ${quote(this.table)} AS SELECT * FROM read_json('${file}', ` +
            "format = 'newline_delimited', sample_size = -1, " +
            'union_by_name = true, map_inference_threshold = -1)',
        );
      }
      return await this.dataPlane.columns(this.table);
    } finally {
      await rm(this.#file, { force: true });
    }
  }

  /** Remove the file after a failure. */
  async discard(): Promise<void> {
    await this.#close().catch(() => undefined);
    await rm(this.#file, { force: true });
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#out.end();
    await once(this.#out, 'close');
  }
}
