import { ErrorCodes, OsirisError } from '../spec/errors.js';

export const DEFAULT_SAMPLE_ROWS = 10;
/** Progressive sampling stops here: beyond it, write a query (or a pipeline). */
export const MAX_SAMPLE_ROWS = 1000;
export const DEFAULT_QUERY_ROWS = 100;
export const MAX_QUERY_ROWS = 10_000;
export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
/** Per statement, for catalog queries and samples. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_SEARCH_TIMEOUT_MS = 15_000;
export const DEFAULT_SEARCH_ROWS_PER_COLUMN = 10;
/** Rows fetched per foreign-key relation of a search hit. */
export const RELATED_ROWS_LIMIT = 20;
/** A catalog with more rows than this (columns of every table, say) is cut, with a warning. */
export const CATALOG_ROW_CAP = 1_000_000;

/** A whole number in [minimum, maximum], or the default when absent; anything else is a usage error. */
export function wholeNumberOption(
  name: string,
  value: number | undefined,
  defaults: { value: number; minimum: number; maximum: number },
): number {
  if (value === undefined) return defaults.value;
  if (!Number.isInteger(value) || value < defaults.minimum || value > defaults.maximum) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${name} must be a whole number from ${defaults.minimum} to ${defaults.maximum}, not ${String(value)}`,
      { details: { option: name, value: String(value) } },
    );
  }
  return value;
}
