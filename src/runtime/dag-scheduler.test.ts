import { describe, expect, it } from 'vitest';
import type { ManifestStep } from '../spec/manifest.js';
import { runDag, type StepOutcome } from './dag-scheduler.js';

function step(id: string, needs: string[] = [], mode: ManifestStep['mode'] = 'transform'): ManifestStep {
  return { id, component: 'test.step', mode, needs } as unknown as ManifestStep;
}

/** Runs the DAG with a fake executor and returns what happened, in order. */
async function trace(
  steps: ManifestStep[],
  options: { concurrency?: number; fail?: string[]; passThrough?: Record<string, string> } = {},
): Promise<string[]> {
  const log: string[] = [];
  await runDag({
    steps,
    concurrency: options.concurrency ?? 1,
    signal: new AbortController().signal,
    sink: { event: () => undefined, metric: () => undefined },
    execute: async (s, upstream): Promise<StepOutcome> => {
      log.push(`run ${s.id}(${upstream.map((u) => u.table).join(',')})`);
      if (options.fail?.includes(s.id))
        return { rows: 0, durationMs: 0, error: { code: 'E_X', message: 'x' } };
      if (s.mode === 'write') return { rows: 2, durationMs: 0 };
      return { table: options.passThrough?.[s.id] ?? `df_${s.id}`, rows: 2, durationMs: 0 };
    },
    release: async (table, stepId) => {
      log.push(`drop ${table} (${stepId})`);
    },
  });
  return log;
}

describe('runDag releases a step table after its last consumer', () => {
  it('drops each link of a chain as soon as the next one has run; the writer input stays until it wrote', async () => {
    const steps = [step('a'), step('b', ['a']), step('c', ['b']), step('out', ['c'], 'write')];
    expect(await trace(steps)).toEqual([
      'run a()',
      'run b(df_a)',
      'drop df_a (a)',
      'run c(df_b)',
      'drop df_b (b)',
      'run out(df_c)',
      'drop df_c (c)',
    ]);
  });

  it('keeps a table while any consumer is left (a writer declared last, a join)', async () => {
    const steps = [
      step('a'),
      step('b', ['a']),
      step('c', ['a', 'b']),
      step('out-c', ['c'], 'write'),
      step('out-a', ['a'], 'write'),
    ];
    const log = await trace(steps, { concurrency: 2 });
    expect(log.indexOf('drop df_a (a)')).toBeGreaterThan(log.indexOf('run out-a(df_a)'));
    expect(log.indexOf('drop df_a (a)')).toBeGreaterThan(log.indexOf('run c(df_a,df_b)'));
    expect(log.filter((line) => line.startsWith('drop')).sort()).toEqual([
      'drop df_a (a)',
      'drop df_b (b)',
      'drop df_c (c)',
    ]);
  });

  it('releases inputs of failed and skipped consumers; keeps tables nothing needs', async () => {
    const steps = [step('a'), step('b', ['a']), step('c', ['b']), step('d', ['a'])];
    const log = await trace(steps, { fail: ['b'] });
    // b failed (no table), c was skipped, d is final: only df_a goes, once b and d are done.
    expect(log).toEqual(['run a()', 'run b(df_a)', 'run d(df_a)', 'drop df_a (a)']);
  });

  it('never drops a table another step still passes on', async () => {
    const steps = [step('a'), step('b', ['a']), step('out', ['b'], 'write')];
    const log = await trace(steps, { passThrough: { b: 'df_a' } });
    expect(log).toEqual(['run a()', 'run b(df_a)', 'run out(df_a)', 'drop df_a (b)']);
  });
});

describe('runDag with streamed edges', () => {
  it('starts the consumer with its producer, without a lane, so a one-lane run cannot wait forever', async () => {
    const steps = [step('read'), step('write', ['read'], 'write')];
    const started: string[] = [];
    let releaseProducer!: () => void;
    const producerBlocked = new Promise<void>((resolve) => {
      releaseProducer = resolve;
    });
    const result = await runDag({
      steps,
      concurrency: 1,
      streams: [{ from: 'read', to: 'write' }],
      signal: new AbortController().signal,
      sink: { event: () => undefined, metric: () => undefined },
      execute: async (s) => {
        started.push(s.id);
        // The producer finishes only once its consumer runs, as a real one waits for its reader.
        if (s.id === 'read') {
          await producerBlocked;
          return { table: 'df_read', rows: 3, durationMs: 0 };
        }
        releaseProducer();
        return { rows: 3, durationMs: 0 };
      },
    });
    expect(started).toEqual(['read', 'write']);
    expect(result.status).toBe('success');
  });

  it('skips the consumer when its producer never ran, and when the executor reports it never began', async () => {
    const events: Array<[string, Record<string, unknown>]> = [];
    const steps = [step('src'), step('read', ['src']), step('write', ['read'], 'write')];
    const result = await runDag({
      steps,
      concurrency: 1,
      streams: [{ from: 'read', to: 'write' }],
      signal: new AbortController().signal,
      sink: { event: (name, fields = {}) => events.push([name, fields]), metric: () => undefined },
      execute: async (s) =>
        s.id === 'src'
          ? { rows: 0, durationMs: 0, error: { code: 'E_X', message: 'x' } }
          : { rows: 0, durationMs: 0 },
    });
    expect(result.steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(events).toContainEqual([
      'step_skipped',
      { step_id: 'write', reason: 'upstream_failed', upstream: 'read' },
    ]);

    const failedFirst = await runDag({
      steps: [step('read'), step('write', ['read'], 'write')],
      concurrency: 1,
      streams: [{ from: 'read', to: 'write' }],
      signal: new AbortController().signal,
      sink: { event: () => undefined, metric: () => undefined },
      execute: async (s) =>
        s.id === 'read'
          ? { rows: 0, durationMs: 0, error: { code: 'E_X', message: 'x' } }
          : { rows: 0, durationMs: 0, skippedBecause: 'read' },
    });
    expect(failedFirst.steps.map((s) => s.status)).toEqual(['failed', 'skipped']);
    expect(failedFirst.error?.code).toBe('E_X');
  });
});
