import { quotedString } from '@duckdb/node-api';

export type CsvQuoting = 'minimal' | 'all' | 'none';
export type CsvEncoding = 'utf-8' | 'utf-16' | 'latin-1';

/** How a CSV file is laid out, from the writer's config with the schema's defaults filled. */
export interface CsvFormat {
  delimiter: string;
  header: boolean;
  newline: '\n' | '\r\n';
  quoting: CsvQuoting;
  encoding: CsvEncoding;
}

export function csvFormatFromConfig(config: Record<string, unknown>): CsvFormat {
  return {
    delimiter: normalizeDelimiter(typeof config.delimiter === 'string' ? config.delimiter : ','),
    header: config.header !== false,
    newline: config.newline === 'crlf' ? '\r\n' : '\n',
    quoting: config.quoting === 'all' || config.quoting === 'none' ? config.quoting : 'minimal',
    encoding: config.encoding === 'utf-16' || config.encoding === 'latin-1' ? config.encoding : 'utf-8',
  };
}

/**
 * `\t` typed in single-quoted YAML arrives as backslash + t; users mean a tab, and DuckDB's own
 * options read it that way too.
 */
export function normalizeDelimiter(delimiter: string): string {
  return delimiter === '\\t' ? '\t' : delimiter;
}

/** COPY … TO options producing exactly `format` (UTF-8 only: DuckDB writes no other encoding). */
export function csvCopyOptions(format: CsvFormat): string {
  const options = [
    'FORMAT csv',
    `DELIMITER ${quotedString(format.delimiter)}`,
    `HEADER ${format.header}`,
    `NEW_LINE ${quotedString(format.newline)}`,
    "NULLSTR ''",
  ];
  if (format.quoting === 'none') options.push("QUOTE ''", "ESCAPE ''");
  else options.push(`QUOTE '"'`, `ESCAPE '"'`);
  if (format.quoting === 'all') options.push('FORCE_QUOTE *');
  return options.join(', ');
}

/**
 * One CSV field exactly as DuckDB's COPY writes it, so the JS writer (used for encodings DuckDB
 * cannot write) produces the same bytes: NULL is an empty unquoted field; `minimal` quotes a value
 * holding the delimiter, a quote, CR or LF, and the empty string (to tell it from NULL); quotes
 * inside are doubled.
 */
export function csvField(value: string | null, format: CsvFormat): string {
  if (value === null) return '';
  if (format.quoting === 'none') return value;
  if (format.quoting === 'all' || needsQuotes(value, format.delimiter))
    return `"${value.replaceAll('"', '""')}"`;
  return value;
}

function needsQuotes(value: string, delimiter: string): boolean {
  return (
    value === '' ||
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r')
  );
}
