export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many line pairs the diff is "everything changed": pipelines are far smaller. */
const MAX_CELLS = 4_000_000;

/**
 * A line diff (longest common subsequence): what a revision removed and added, in order. Good
 * for pipelines of a few hundred lines, which is all it is used for.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const left = before.replace(/\n$/, '').split('\n');
  const right = after.replace(/\n$/, '').split('\n');
  if (left.length * right.length > MAX_CELLS) {
    return [
      ...left.map((text) => ({ kind: 'removed' as const, text })),
      ...right.map((text) => ({ kind: 'added' as const, text })),
    ];
  }
  // lengths[i][j]: LCS length of left[i..] and right[j..].
  const lengths = Array.from({ length: left.length + 1 }, () => new Uint32Array(right.length + 1));
  for (let i = left.length - 1; i >= 0; i -= 1) {
    for (let j = right.length - 1; j >= 0; j -= 1) {
      lengths[i]![j] =
        left[i] === right[j]
          ? lengths[i + 1]![j + 1]! + 1
          : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      lines.push({ kind: 'same', text: left[i]! });
      i += 1;
      j += 1;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) {
      lines.push({ kind: 'removed', text: left[i]! });
      i += 1;
    } else {
      lines.push({ kind: 'added', text: right[j]! });
      j += 1;
    }
  }
  while (i < left.length) lines.push({ kind: 'removed', text: left[i++]! });
  while (j < right.length) lines.push({ kind: 'added', text: right[j++]! });
  return lines;
}
