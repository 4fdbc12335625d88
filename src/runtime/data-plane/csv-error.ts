/**
 * What a failed DuckDB `read_csv` says, without the data. DuckDB's CSV errors copy the whole
 * offending line ("Original Line: …") and the value ("Could not convert string "…" to …"), then
 * list every reader option; a row's values must never reach events, reports or the terminal, so
 * only the line number, the column, the target type and DuckDB's own wording are kept.
 */
export interface CsvErrorFacts {
  /** 1-based line of the CSV text DuckDB was reading (header and skipped lines included). */
  line?: number;
  /** The column DuckDB was converting, by its CSV name. */
  column?: string;
  /** The type the value was being converted to. */
  type?: string;
  /** What went wrong, without any value from the data. */
  message: string;
}

/** Phrases of DuckDB's CSV errors that say what is wrong without quoting the data. */
const KNOWN_PROBLEMS = [
  /Expected Number of Columns: \d+ Found: \d+/,
  /Value with unterminated quote found\./,
  /Maximum line size of \d+ bytes exceeded\./,
  /Invalid unicode \(byte sequence mismatch\) detected\./,
];

export function csvErrorFacts(raw: string): CsvErrorFacts {
  const line = /CSV Error on Line: (\d+)/.exec(raw)?.[1];
  const column = /Error when converting column "((?:[^"\n]|"")*)"\./.exec(raw)?.[1];
  // DuckDB's own line after the value, so the last match is DuckDB's and not the data's.
  const types = [...raw.matchAll(/^Column .* is being converted as type ([A-Z][A-Z0-9_ ,()[\]]*)$/gm)];
  const type = types.at(-1)?.[1];
  const facts = {
    ...(line ? { line: Number(line) } : {}),
    ...(column === undefined ? {} : { column }),
    ...(type ? { type } : {}),
  };
  if (column !== undefined && type) {
    return { ...facts, message: `the value could not be converted to ${type}` };
  }
  return { ...facts, message: scrubCsvMessage(raw) };
}

/** DuckDB's message with the offending line, the values and the option dump removed. */
export function scrubCsvMessage(raw: string): string {
  const originalLine = raw.indexOf('Original Line:');
  const conversion = raw.indexOf('Could not convert string');
  const cut = [originalLine, conversion].filter((index) => index >= 0);
  if (cut.length === 0) return (raw.split(/\n\s*\n/)[0] ?? raw).trim();
  const head = raw.slice(0, Math.min(...cut)).trim();
  const problem = KNOWN_PROBLEMS.map((pattern) => pattern.exec(raw)?.[0]).find(Boolean);
  if (problem) return `${head} ${problem}`.trim();
  if (conversion >= 0) {
    const type = [...raw.matchAll(/ to '?([A-Z][A-Z0-9_()]*)'?\s*$/gm)].at(-1)?.[1];
    return `${head} could not convert a value${type ? ` to ${type}` : ''}`.trim();
  }
  return head;
}
