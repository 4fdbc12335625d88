import type { Readable } from 'node:stream';
import { cancelled } from './client.js';
import type { SourceColumn } from './source-columns.js';

/**
 * Group a row stream into batches of `size` converted rows. The generator only pulls from the
 * stream when the consumer asks for the next batch, so while a batch is being appended the
 * stream's small buffer fills and the driver pauses the socket: at most one batch in memory.
 * Rows already received keep arriving after the socket is destroyed, so abort is checked here too.
 */
export async function* rowBatches(
  stream: Readable,
  columns: readonly SourceColumn[],
  size: number,
  signal: AbortSignal,
): AsyncGenerator<unknown[][]> {
  let batch: unknown[][] = [];
  for await (const row of stream) {
    if (signal.aborted) {
      stream.destroy();
      throw cancelled();
    }
    const values = row as unknown[];
    batch.push(columns.map((column, index) => column.convert(values[index])));
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
