/**
 * DuckDB column names must be unique regardless of case, but a query such as
 * `SELECT m.id, d.id` yields two `id`s: later ones become `id_2`, `id_3`, ...
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let suffix = 2; taken.has(candidate.toLowerCase()); suffix += 1) candidate = `${name}_${suffix}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
