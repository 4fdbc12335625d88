export interface InsertLimits {
  maxRows: number;
  /** Statement size in bytes; kept under the server's max_allowed_packet. */
  maxBytes: number;
}

/**
 * Collects escaped row tuples into multi-row INSERT statements, cutting a statement when it
 * reaches `maxRows` rows or `maxBytes` bytes.
 */
export class InsertStatementBuilder {
  private tuples: string[] = [];
  private bytes = 0;

  constructor(
    private readonly head: string,
    private readonly tail: string,
    private readonly limits: InsertLimits,
  ) {}

  /** Add a tuple; returns a complete statement when the previous ones filled one up. */
  add(tuple: string): string | undefined {
    const size = Buffer.byteLength(tuple) + 2;
    const full =
      this.tuples.length > 0 &&
      (this.tuples.length >= this.limits.maxRows ||
        this.overhead() + this.bytes + size > this.limits.maxBytes);
    const ready = full ? this.take() : undefined;
    this.tuples.push(tuple);
    this.bytes += size;
    return ready;
  }

  /** The last, partly filled statement, if any rows are pending. */
  finish(): string | undefined {
    return this.tuples.length > 0 ? this.take() : undefined;
  }

  private overhead(): number {
    return Buffer.byteLength(this.head) + Buffer.byteLength(this.tail) + 16;
  }

  private take(): string {
    const statement = `${this.head} ${this.tuples.join(',\n')}${this.tail}`;
    this.tuples = [];
    this.bytes = 0;
    return statement;
  }
}
