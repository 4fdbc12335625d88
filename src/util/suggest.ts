/**
 * Did-you-mean suggestions for component names, config keys and step ids: the candidates closest
 * to `name` by edit distance (Levenshtein with adjacent transpositions counted as one edit, so
 * `tabel` → `table`), plus candidates whose last dotted part equals the name (`csv_writer` →
 * `filesystem.csv_writer`). Ties break alphabetically so output is deterministic.
 */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const wanted = name.toLowerCase();
  const scored: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const lastPart = lower.slice(lower.lastIndexOf('.') + 1);
    const distance = Math.min(editDistance(wanted, lower), editDistance(wanted, lastPart) + 1);
    // Very short names allow one edit, or every two-letter key would suggest every other one.
    const threshold = wanted.length <= 3 ? 1 : Math.max(2, Math.floor(wanted.length / 3));
    const sharesFamily = wanted.length > 0 && lower.startsWith(`${wanted}.`);
    if (distance <= threshold || sharesFamily)
      scored.push({ candidate, distance: sharesFamily ? 0 : distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, Math.max(0, max)).map((entry) => entry.candidate);
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
