/**
 * The few SQL differences discovery's own statements depend on. Everything else it writes is
 * plain `SELECT * FROM t WHERE … LIMIT n`, valid on every family.
 */
export interface SqlDialect {
  quoteIdentifier(identifier: string): string;
  /** Placeholder for the `index`-th (1-based) parameter. */
  placeholder(index: number): string;
  /** A boolean-ish expression: `column` contains the LIKE pattern bound at `placeholder`, ignoring case. */
  containsText(quotedColumn: string, placeholder: string): string;
}

/** MySQL's identifier quoting. */
export const backtick = (identifier: string) => `\`${identifier.replaceAll('`', '``')}\``;
/** Standard SQL identifier quoting. */
export const doubleQuote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export const duckdbDialect: SqlDialect = {
  quoteIdentifier: doubleQuote,
  placeholder: (index) => `$${index}`,
  containsText: (column, placeholder) => `${column} ILIKE ${placeholder} ESCAPE '\\'`,
};

/** `schema.table`, both quoted. */
export function qualifiedName(dialect: SqlDialect, schema: string, table: string): string {
  return `${dialect.quoteIdentifier(schema)}.${dialect.quoteIdentifier(table)}`;
}

/** `%text%` with LIKE's wildcards in `text` escaped by `\`, so they match themselves. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
