import { ErrorCodes, OsirisError } from '../../spec/errors.js';

export interface ExtractConfig {
  query?: string;
  table?: string;
  schema?: string;
  columns?: string[];
  limit?: number;
}

/** MySQL identifier quoting: backticks, with embedded backticks doubled. */
export function quoteMysqlIdentifier(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

export function qualifiedTableName(table: string, schema: string | undefined): string {
  return schema
    ? `${quoteMysqlIdentifier(schema)}.${quoteMysqlIdentifier(table)}`
    : quoteMysqlIdentifier(table);
}

/** The SELECT the extractor runs: the user's query as-is, or one built from table/columns/limit. */
export function buildExtractQuery(config: ExtractConfig): string {
  if (config.query !== undefined && config.table !== undefined) {
    throw new OsirisError(ErrorCodes.STEP_FAILED, 'mysql.extractor: set `query` or `table`, not both', {
      hint: 'use `table` for a plain copy, `query` for filters, joins or aggregations',
    });
  }
  if (config.query !== undefined) return config.query.trim().replace(/;\s*$/, '');
  if (config.table === undefined) {
    throw new OsirisError(ErrorCodes.STEP_FAILED, 'mysql.extractor: set `query` or `table`', {
      hint: 'for example `table: movies`',
    });
  }
  const columnList = config.columns?.length ? config.columns.map(quoteMysqlIdentifier).join(', ') : '*';
  const limit = config.limit === undefined ? '' : ` LIMIT ${Math.trunc(config.limit)}`;
  return `SELECT ${columnList} FROM ${qualifiedTableName(config.table, config.schema)}${limit}`;
}
