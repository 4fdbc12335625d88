/** One argument for a POSIX shell line: single-quoted, with embedded quotes spliced in. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
