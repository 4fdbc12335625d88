const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** A plain aligned table for the terminal; cells may carry colour codes. */
export function renderTextTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, index) =>
    Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[index] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => {
        const pad = ' '.repeat(Math.max(0, (widths[index] ?? 0) - visibleLength(cell)));
        return columns[index]?.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header.toUpperCase())), ...rows.map(line)].join('\n');
}
