import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { isOsirisError } from '../../spec/errors.js';
import { rowBatches } from './row-batches.js';
import type { SourceColumn } from './source-columns.js';

const columns: SourceColumn[] = [
  { info: { name: 'n', type: 'BIGINT' }, convert: (value) => BigInt(value as number) },
];

function countingSource(total: number, highWaterMark: number) {
  const state = { produced: 0 };
  async function* rows() {
    for (let index = 0; index < total; index += 1) {
      state.produced += 1;
      yield [index];
    }
  }
  return { stream: Readable.from(rows(), { objectMode: true, highWaterMark }), state };
}

it('pulls rows only as batches are consumed', async () => {
  const { stream, state } = countingSource(10_000, 16);
  const batches = rowBatches(stream, columns, 100, new AbortController().signal);
  const first = await batches.next();
  expect(first.value).toHaveLength(100);
  expect((first.value as unknown[][])[0]).toEqual([0n]);
  // One batch plus the stream's small buffer, never the whole source.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(state.produced).toBeLessThanOrEqual(100 + 16 + 2);
  let total = 100;
  for await (const batch of batches) total += batch.length;
  expect(total).toBe(10_000);
});

it('stops with E_CANCELLED once the signal aborts', async () => {
  const { stream } = countingSource(10_000, 16);
  const controller = new AbortController();
  const batches = rowBatches(stream, columns, 100, controller.signal);
  await batches.next();
  controller.abort();
  const error = await batches.next().catch((caught: unknown) => caught);
  expect(isOsirisError(error) && error.code).toBe('E_CANCELLED');
  expect(stream.destroyed).toBe(true);
});
