/**
 * Result rows become objects, so a query such as `SELECT m.id, d.id` would lose a column:
 * later duplicates become `id_2`, `id_3`, ...
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let suffix = 2; taken.has(candidate); suffix += 1) candidate = `${name}_${suffix}`;
    taken.add(candidate);
    return candidate;
  });
}

/** Rows as arrays (the driver's `rowsAsArray` form) → objects keyed by unique column names. */
export function rowObjects(
  names: readonly string[],
  rows: readonly (readonly unknown[])[],
  convert: (value: unknown) => unknown,
): Record<string, unknown>[] {
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    names.forEach((name, index) => {
      record[name] = convert(row[index]);
    });
    return record;
  });
}
