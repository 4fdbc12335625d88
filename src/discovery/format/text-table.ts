/** Widest a cell may be before it is cut with `…`; keeps sample rows readable in a terminal. */
export const DEFAULT_CELL_WIDTH = 28;

/** A value as a table cell: NULL spelled out, objects as JSON, one line, cut to `width`. */
export function cellText(value: unknown, width = DEFAULT_CELL_WIDTH): string {
  const text =
    value === null || value === undefined
      ? 'NULL'
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const oneLine = text.replace(/\s+/g, ' ');
  return [...oneLine].length > width ? `${[...oneLine].slice(0, width - 1).join('')}…` : oneLine;
}

/**
 * Rows aligned under their headers, columns separated by two spaces, each line prefixed by
 * `indent`. Trailing spaces are trimmed so the output diffs cleanly.
 */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  indent = '',
): string[] {
  const widths = headers.map((header, index) =>
    Math.max(length(header), ...rows.map((row) => length(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    `${indent}${cells.map((cell, index) => pad(cell, widths[index] ?? 0)).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)];
}

/** Sample or result rows as a text table of their columns. */
export function rowsTable(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  indent = '',
): string[] {
  return textTable(
    columns,
    rows.map((row) => columns.map((column) => cellText(row[column]))),
    indent,
  );
}

function length(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - length(text)));
}
