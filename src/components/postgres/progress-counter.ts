const NEWLINE = 0x0a;
/** Report at most once per this many bytes: often enough to look live, rarely enough to cost nothing. */
const REPORT_EVERY_BYTES = 4 * 1024 * 1024;

/**
 * Live row count of a CSV byte stream. Counting newlines over-counts rows whose text contains
 * line breaks, so it is only an estimate for progress; the final count comes from the database.
 */
export class CountingProgress {
  bytes = 0;
  #rows = 0;
  #reportedAtBytes = 0;
  readonly #report: ((rows: number) => void) | undefined;

  constructor(report: ((rows: number) => void) | undefined) {
    this.#report = report;
  }

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, index + 1))
      this.#rows += 1;
    if (this.#report && this.bytes - this.#reportedAtBytes >= REPORT_EVERY_BYTES) {
      this.#reportedAtBytes = this.bytes;
      this.#report(this.#rows);
    }
  }

  finish(rows: number): void {
    this.#report?.(rows);
  }
}
