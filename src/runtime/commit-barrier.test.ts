import { describe, expect, it } from 'vitest';
import { CommitBarrier, commitBarrierFor, concurrencyFor } from './commit-barrier.js';

describe('CommitBarrier (on_failure: rollback_all)', () => {
  it('lets writers commit only once all of them are ready', async () => {
    const barrier = new CommitBarrier(3);
    const order: string[] = [];
    const a = barrier.arrive('a').then(() => order.push('a'));
    const b = barrier.arrive('b').then(() => order.push('b'));
    await Promise.resolve();
    expect(order).toEqual([]);
    await barrier.arrive('c');
    await Promise.all([a, b]);
    expect(order.sort()).toEqual(['a', 'b']);
  });

  it('releases every waiting writer with an error when a step fails, and refuses later ones', async () => {
    const barrier = new CommitBarrier(3);
    const waiting = barrier.arrive('to-postgres');
    barrier.fail(new Error('CHECK constraint violated'));
    await expect(waiting).rejects.toMatchObject({ code: 'E_STEP_FAILED' });
    await expect(waiting).rejects.toThrow(/to-postgres: rolled back .*rollback_all/);
    await expect(barrier.arrive('to-file')).rejects.toThrow(/to-file: rolled back/);
  });

  it('is released by a cancelled run', async () => {
    const controller = new AbortController();
    const manifest = {
      pipeline: { name: 'p', oml_version: '0.1.0', on_failure: 'rollback_all' as const },
      steps: [{ mode: 'write' }, { mode: 'write' }],
    };
    const barrier = commitBarrierFor(manifest as never, controller.signal)!;
    const waiting = barrier.arrive('w1');
    controller.abort();
    await expect(waiting).rejects.toThrow(/rolled back/);
  });

  it('exists only for rollback_all, which also lifts the concurrency limit', () => {
    const plain: { pipeline: { on_failure?: string }; steps: unknown[] } = {
      pipeline: {},
      steps: [{}, {}, {}],
    };
    expect(commitBarrierFor(plain as never, new AbortController().signal)).toBeUndefined();
    expect(concurrencyFor(plain, 2)).toBe(2);
    expect(concurrencyFor({ ...plain, pipeline: { on_failure: 'rollback_all' } }, 2)).toBe(3);
  });
});
