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

const backtick = (identifier: string) => `\`${identifier.replaceAll('`', '``')}\``;
const doubleQuote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** Case-insensitivity comes from the column's collation (the usual `_ci` ones); `\` escapes by default. */
export const mysqlDialect: SqlDialect = {
  quoteIdentifier: backtick,
  placeholder: () => '?',
  containsText: (column, placeholder) => `${column} LIKE ${placeholder}`,
};

export const postgresDialect: SqlDialect = {
  quoteIdentifier: doubleQuote,
  placeholder: (index) => `$${index}`,
  // The cast makes it work for citext, char(n), enums and domains alike.
  containsText: (column, placeholder) => `${column}::text ILIKE ${placeholder}`,
};

export const duckdbDialect: SqlDialect = {
  quoteIdentifier: doubleQuote,
  placeholder: (index) => `$${index}`,
  containsText: (column, placeholder) => `${column} ILIKE ${placeholder} ESCAPE '\\'`,
};

/** SQLite's LIKE ignores ASCII case already. */
export const sqliteDialect: SqlDialect = {
  quoteIdentifier: doubleQuote,
  placeholder: () => '?',
  containsText: (column, placeholder) => `${column} LIKE ${placeholder} ESCAPE '\\'`,
};

/** `schema.table`, both quoted. */
export function qualifiedName(dialect: SqlDialect, schema: string, table: string): string {
  return `${dialect.quoteIdentifier(schema)}.${dialect.quoteIdentifier(table)}`;
}

/** `%text%` with LIKE's wildcards in `text` escaped by `\`, so they match themselves. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
