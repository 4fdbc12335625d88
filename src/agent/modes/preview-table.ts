/** Widest a preview cell may be before it is shortened. */
const CELL_WIDTH = 28;

/** A small aligned text table of query rows (arrays or objects), for previews in the terminal. */
export function formatPreviewTable(columns: readonly string[], rows: readonly unknown[]): string {
  const cells = rows.map((row) => columns.map((column, index) => cellText(valueAt(row, column, index))));
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((row) => row[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '─'.repeat(width))), ...cells.map(line)].join('\n');
}

function valueAt(row: unknown, column: string, index: number): unknown {
  if (Array.isArray(row)) return row[index];
  if (typeof row === 'object' && row !== null) return (row as Record<string, unknown>)[column];
  return row;
}

function cellText(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  const single = text.replace(/\s+/g, ' ');
  return single.length > CELL_WIDTH ? `${single.slice(0, CELL_WIDTH - 1)}…` : single;
}
