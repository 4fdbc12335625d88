import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { PostgresSession } from './client.js';
import type { BorrowedConnection } from './duckdb-connection.js';
import { abandonFifoReader, duckdbPathLiteral, openFifoReader, withFifo } from './fifo.js';
import { CountingProgress } from './progress-counter.js';

export interface CopyIntoPostgresOptions {
  session: PostgresSession;
  /** Folder for the named pipe; DuckDB must be allowed to write there. */
  pipeDirectory: string;
  duckdb: BorrowedConnection;
  /** DuckDB SELECT whose columns are already rendered as PostgreSQL-readable values. */
  select: string;
  /** `COPY target (columns) FROM STDIN (FORMAT csv)`. */
  copy: string;
  signal: AbortSignal;
  onProgress?: (rows: number) => void;
}

/**
 * Stream rows from the data plane into PostgreSQL, the mirror image of the extractor: DuckDB's
 * `COPY (select) TO <named pipe> (FORMAT csv)` formats the rows in C++ while `COPY … FROM STDIN`
 * consumes the same bytes, so no row becomes a JS object and memory stays at a few buffers.
 * NULL travels as an empty field and an empty string as `""`, which is exactly how
 * PostgreSQL's CSV format tells them apart. The caller owns the transaction.
 */
export async function copyDataPlaneIntoPostgres(
  options: CopyIntoPostgresOptions,
): Promise<{ rows: number; bytes: number }> {
  return withFifo(options.pipeDirectory, async (fifo) => {
    const { session, signal } = options;
    signal.throwIfAborted();
    const produce = options.duckdb.connection.run(
      `COPY (${options.select}) TO ${duckdbPathLiteral(fifo)} ` +
        `(FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '', USE_TMP_FILE false)`,
    );
    const reader = openFifoReader(fifo);
    const copy = session.client.query(copyFrom(options.copy));
    const progress = new CountingProgress(options.onProgress);
    reader.on('data', (chunk) => progress.add(chunk as Buffer));

    // Whoever fails first, nobody may stay blocked on the pipe: DuckDB's writes are drained
    // until its COPY ends, and PostgreSQL's COPY is failed (CopyFail), so the caller can roll back.
    let abandoned: Promise<void> | undefined;
    const abandon = () => {
      abandoned ??= abandonFifoReader(fifo, reader, produce);
      options.duckdb.interrupt();
      copy.destroy(new Error('the transfer was stopped'));
    };
    signal.addEventListener('abort', abandon, { once: true });
    // The first failure is the cause: a PostgreSQL error (say a NOT NULL violation) makes us
    // interrupt DuckDB, whose "interrupted" must not hide it, and the other way round.
    let firstFailure: 'transfer' | 'produce' | undefined;
    const transfer = pipeline(reader, copy);
    transfer.catch(() => {
      firstFailure ??= 'transfer';
      abandon();
    });
    produce.catch(() => {
      firstFailure ??= 'produce';
      abandon();
    });
    const [transferred, produced] = await Promise.allSettled([transfer, produce]);
    signal.removeEventListener('abort', abandon);
    await abandoned;

    signal.throwIfAborted();
    if (transferred.status === 'rejected' && firstFailure === 'transfer') throw transferred.reason;
    if (produced.status === 'rejected') {
      const message = produced.reason instanceof Error ? produced.reason.message : String(produced.reason);
      throw new OsirisError(
        ErrorCodes.WRITE_FAILED,
        `${session.ref}: DuckDB could not read the input rows: ${message}`,
        {
          cause: produced.reason,
        },
      );
    }
    if (transferred.status === 'rejected') throw transferred.reason;
    const exported = produced.value.rowsChanged;
    if (exported !== copy.rowCount) {
      throw new OsirisError(
        ErrorCodes.INTERNAL,
        `${session.ref}: DuckDB sent ${exported} rows but PostgreSQL stored ${copy.rowCount}; the write was rolled back`,
        { hint: 'This is a bug in the PostgreSQL writer: please report it with the input column types.' },
      );
    }
    progress.finish(copy.rowCount);
    return { rows: copy.rowCount, bytes: progress.bytes };
  });
}
