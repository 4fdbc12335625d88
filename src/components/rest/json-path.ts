import { ErrorCodes, OsirisError } from '../../spec/errors.js';

/** One step of a parsed path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * The subset of JSONPath record selection needs: `$`, `$.data`, `$.data.items`, `$.pages[0].rows`,
 * `$['odd key']`. No wildcards or filters: a path names one value.
 */
export function parseJsonPath(path: string): PathSegment[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw badPath(path, 'it must start with `$`');
  const segments: PathSegment[] = [];
  let index = 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '.') {
      const match = /^[A-Za-z_$][\w$-]*/.exec(text.slice(index + 1));
      if (!match) throw badPath(path, `a name must follow "." at character ${index + 1}`);
      segments.push(match[0]);
      index += 1 + match[0].length;
    } else if (char === '[') {
      const rest = text.slice(index);
      const number = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[(['"])((?:(?!\1).)*)\1\]/.exec(rest);
      if (number) {
        segments.push(Number(number[1]));
        index += number[0].length;
      } else if (quoted) {
        segments.push(quoted[2]!);
        index += quoted[0].length;
      } else throw badPath(path, `unexpected "[" at character ${index + 1}`);
    } else throw badPath(path, `unexpected "${char}" at character ${index + 1}`);
  }
  return segments;
}

/** The value at `segments` in `value`, or undefined when any step is missing. */
export function valueAt(value: unknown, segments: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function badPath(path: string, why: string): OsirisError {
  return new OsirisError(ErrorCodes.USAGE, `"${path}" is not a JSON path this extractor reads: ${why}`, {
    hint: 'write e.g. `$` (the body itself), `$.data`, `$.result.items` or `$.pages[0].rows`.',
  });
}
