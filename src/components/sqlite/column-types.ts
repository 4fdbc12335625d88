/**
 * DuckDB column types for a SQLite result. SQLite types values, not columns: a declared type is
 * only a hint (its "affinity"), and expressions have none. We trust the declared type where the
 * first rows agree with it, and otherwise infer the type from those rows.
 */

type ValueKind = 'integer' | 'real' | 'text' | 'blob';

/** DuckDB type for a declared SQLite column type, following SQLite's affinity rules. */
export function duckdbTypeForDeclared(declared: string | null): string | undefined {
  if (!declared) return undefined;
  const upper = declared.toUpperCase();
  if (upper.includes('INT')) return 'BIGINT';
  if (/CHAR|CLOB|TEXT/.test(upper)) return 'VARCHAR';
  if (upper.includes('BLOB')) return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(upper)) return 'DOUBLE';
  const decimal = /^\s*(?:DECIMAL|NUMERIC)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(upper);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2] ?? '0');
    if (precision >= 1 && precision <= 38 && scale <= precision) return `DECIMAL(${precision},${scale})`;
    return undefined;
  }
  if (/^\s*BOOL/.test(upper)) return 'BOOLEAN';
  if (/^\s*(DATETIME|TIMESTAMP)/.test(upper)) return 'TIMESTAMP';
  if (/^\s*DATE\s*$/.test(upper)) return 'DATE';
  return undefined;
}

/** Which SQLite storage classes a DuckDB type accepts without surprises. */
const ACCEPTED_KINDS: Readonly<Record<string, readonly ValueKind[]>> = {
  BIGINT: ['integer'],
  VARCHAR: ['text', 'integer', 'real'],
  BLOB: ['blob'],
  DOUBLE: ['real', 'integer'],
  BOOLEAN: ['integer'],
  TIMESTAMP: ['text'],
  DATE: ['text'],
};

/**
 * The column's DuckDB type: the declared one when every sampled value fits it, else one
 * inferred from the sampled values (mixed kinds → VARCHAR; all NULL → VARCHAR).
 */
export function chooseColumnType(declared: string | null, sample: readonly unknown[]): string {
  const kinds = new Set(sample.map(kindOf).filter((kind): kind is ValueKind => kind !== undefined));
  const fromDeclaration = duckdbTypeForDeclared(declared);
  if (fromDeclaration) {
    const accepted = ACCEPTED_KINDS[fromDeclaration] ?? ['integer', 'real', 'text'];
    if ([...kinds].every((kind) => accepted.includes(kind))) return fromDeclaration;
  }
  if (kinds.size === 0) return 'VARCHAR';
  if (kinds.size === 1) {
    const [only] = kinds;
    return only === 'integer' ? 'BIGINT' : only === 'real' ? 'DOUBLE' : only === 'blob' ? 'BLOB' : 'VARCHAR';
  }
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('real')) return 'DOUBLE';
  return 'VARCHAR';
}

function kindOf(value: unknown): ValueKind | undefined {
  if (value === null || value === undefined) return undefined;
  // Integers are read as bigint (safe integers), so a JS number always was a REAL.
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'real';
  if (typeof value === 'string') return 'text';
  return 'blob';
}

/** `id, id, ID` → `id, id_1, ID_2`: DuckDB compares names case-insensitively. */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let suffix = 1; taken.has(candidate.toLowerCase()); suffix++) candidate = `${name}_${suffix}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
