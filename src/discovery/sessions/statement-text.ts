/**
 * Light reading of SQL text, used only where a database's read-only mode leaves a gap (writing
 * files from a read-only transaction). The database still parses and enforces everything else.
 */

/** The first keyword of a statement, past whitespace, comments and opening parentheses. */
export function leadingKeyword(sql: string): string {
  const body = sql.replace(/^(\s|\(|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return (/^[A-Za-z]+/.exec(body)?.[0] ?? '').toUpperCase();
}

/**
 * MySQL's `SELECT … INTO OUTFILE/DUMPFILE` writes a file on the server even inside a read-only
 * transaction. Matching the words anywhere (even inside a string) errs on the side of refusing.
 */
export function writesServerFile(sql: string): boolean {
  return /\binto\s+(outfile|dumpfile)\b/i.test(sql);
}
