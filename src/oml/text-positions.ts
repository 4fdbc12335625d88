/** 1-based line and column of a character offset, for diagnostics. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Maps character offsets of a text to line/column. Used for YAML nodes and also for problems
 * found before parsing (a NUL byte), so it does not depend on the parser's own line counter.
 */
export class TextPositions {
  readonly #lineStarts: number[] = [0];

  constructor(text: string) {
    for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
      this.#lineStarts.push(index + 1);
    }
  }

  at(offset: number): Position {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.#lineStarts[low]! + 1 };
  }
}
