import { describe, expect, it } from 'vitest';
import type { ComponentSpec } from '../spec/component.js';
import type { ManifestStep } from '../spec/manifest.js';
import { streamEdges } from './stream-edges.js';

const specs: Record<string, Partial<ComponentSpec>> = {
  'db.extractor': { capabilities: { streamsOutput: true } },
  'file.writer': { capabilities: { readsInputOnce: true } },
  'sql.processor': { capabilities: {} },
};
const specOf = (component: string) => specs[component] as ComponentSpec | undefined;

function step(id: string, component: string, needs: string[] = [], extra: Partial<ManifestStep> = {}) {
  return { id, component, needs, mode: 'read', ...extra } as ManifestStep;
}

describe('streamEdges', () => {
  it('streams an extract into its one file writer', () => {
    const steps = [step('read', 'db.extractor'), step('write', 'file.writer', ['read'])];
    expect(streamEdges(steps, {}, specOf)).toEqual([{ from: 'read', to: 'write' }]);
  });

  it('materialises a fan-out, a consumer that reads twice, and a consumer with two inputs', () => {
    const read = step('read', 'db.extractor');
    const other = step('other', 'db.extractor');
    expect(
      streamEdges([read, step('a', 'file.writer', ['read']), step('b', 'file.writer', ['read'])], {}, specOf),
    ).toEqual([]);
    expect(streamEdges([read, step('sql', 'sql.processor', ['read'])], {}, specOf)).toEqual([]);
    expect(streamEdges([read, other, step('w', 'file.writer', ['read', 'other'])], {}, specOf)).toEqual([]);
  });

  it('materialises what must be read again: checks, incremental, materialize: true, a relationship check', () => {
    const write = step('write', 'file.writer', ['read']);
    const withChecks = step('read', 'db.extractor', [], {
      checks: [{ type: 'not_null', columns: ['id'] }] as never,
    });
    expect(streamEdges([withChecks, write], {}, specOf)).toEqual([]);
    expect(streamEdges([step('read', 'db.extractor'), write], { read: { incremental: {} } }, specOf)).toEqual(
      [],
    );
    expect(streamEdges([step('read', 'db.extractor', [], { materialize: true }), write], {}, specOf)).toEqual(
      [],
    );
    const writerAsks = step('write', 'file.writer', ['read'], { materialize: true });
    expect(streamEdges([step('read', 'db.extractor'), writerAsks], {}, specOf)).toEqual([]);
    const writerChecks = step('write', 'file.writer', ['read'], { checks: [{ type: 'row_count' }] as never });
    expect(streamEdges([step('read', 'db.extractor'), writerChecks], {}, specOf)).toEqual([]);
    // Another step's relationship check reads the extract's output too.
    const auditor = step('audit', 'db.extractor', [], {
      checks: [{ type: 'relationship', to_step: 'read', column: 'id', to_column: 'id' }] as never,
    });
    expect(streamEdges([step('read', 'db.extractor'), write, auditor], {}, specOf)).toEqual([]);
  });
});
