import { describe, expect, it } from 'vitest';
import { diffLines } from './diff-lines.js';
import { formatDiff } from './format-proposal.js';

describe('diffLines', () => {
  it('keeps common lines and marks what a revision removed and added, in order', () => {
    const before = 'a\nb\nc\nd\n';
    const after = 'a\nc\nx\nd\n';
    expect(diffLines(before, after)).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'd' },
    ]);
  });

  it('handles identical and empty texts', () => {
    expect(diffLines('a\n', 'a\n')).toEqual([{ kind: 'same', text: 'a' }]);
    expect(diffLines('', 'a')).toEqual([
      { kind: 'removed', text: '' },
      { kind: 'added', text: 'a' },
    ]);
  });
});

describe('formatDiff', () => {
  it('shows changes with two lines of context and elides the rest', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `line ${index}`);
    const changed = [...lines];
    changed[10] = 'line ten';
    const text = formatDiff(lines.join('\n'), changed.join('\n')).replace(/\u001b\[[0-9;]*m/g, '');
    expect(text.split('\n')).toEqual([
      '  …',
      '  line 8',
      '  line 9',
      '- line 10',
      '+ line ten',
      '  line 11',
      '  line 12',
    ]);
  });
});
