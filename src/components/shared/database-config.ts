import type { DataPlane, StepInput } from '../../spec/driver.js';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { parseWriteStrategy, type WriteStrategy } from './write-strategy.js';

/**
 * Step config of the database components, re-checked where a driver relies on it: the compiler
 * has validated it against the spec, but drivers can also be called directly. A mistake here is
 * the user's (exit 2, `E_USAGE`), named by component and key, the same for every family.
 */

/** What a database extractor reads: its own SQL, or a table (optionally some columns, some rows). */
export type SourceConfig =
  | { query: string; limit?: number }
  | { table: string; schema?: string; columns?: string[]; limit?: number };

export function parseSourceConfig(config: Record<string, unknown>, component: string): SourceConfig {
  const query = optionalString(config.query, 'query', component);
  const table = optionalString(config.table, 'table', component);
  if ((query === undefined) === (table === undefined)) {
    throw new OsirisError(ErrorCodes.USAGE, `${component}: set exactly one of \`query\` or \`table\``, {
      hint: 'Use `table` (with optional `schema`, `columns`, `limit`) for a plain copy, `query` for SQL run in the database.',
    });
  }
  const limit = optionalCount(config.limit, 'limit', component);
  const limited = limit === undefined ? {} : { limit };
  if (query !== undefined) return { query, ...limited };
  const schema = optionalString(config.schema, 'schema', component);
  const columns = optionalStringList(config.columns, 'columns', component);
  return {
    table: table as string,
    ...(schema === undefined ? {} : { schema }),
    ...(columns ? { columns } : {}),
    ...limited,
  };
}

/** What every database writer needs besides its own options. */
export interface TargetConfig extends WriteStrategy {
  table: string;
  schema?: string;
  createIfMissing: boolean;
  batchSize: number;
  /** Seconds to wait for another writer of the target (and for other sessions' locks on it). */
  lockTimeoutSeconds: number;
}

export function parseTargetConfig(
  config: Record<string, unknown>,
  component: string,
  defaults: { batchSize: number; lockTimeoutSeconds: number },
): TargetConfig {
  const table = optionalString(config.table, 'table', component);
  if (!table) {
    throw new OsirisError(ErrorCodes.USAGE, `${component}: config \`table\` is required`, {
      hint: 'Name the table to write to, e.g. `table: customers`.',
    });
  }
  const schema = optionalString(config.schema, 'schema', component);
  optionalStringList(config.primary_key, 'primary_key', component);
  const strategy = parseWriteStrategy(config, component);
  const createIfMissing = config.create_if_missing ?? true;
  if (typeof createIfMissing !== 'boolean')
    throw invalidConfig(component, 'create_if_missing', 'true or false');
  const lockTimeout = optionalCount(config.lock_timeout, 'lock_timeout', component);
  if (lockTimeout === 0) throw invalidConfig(component, 'lock_timeout', 'at least 1 (seconds)');
  return {
    table,
    ...(schema === undefined ? {} : { schema }),
    ...strategy,
    createIfMissing,
    batchSize: optionalCount(config.batch_size, 'batch_size', component) ?? defaults.batchSize,
    lockTimeoutSeconds: lockTimeout ?? defaults.lockTimeoutSeconds,
  };
}

/** The one upstream step a writer writes; several are combined with a duckdb.processor first. */
export function singleInput(inputs: readonly StepInput[], component: string): StepInput {
  const [input, ...rest] = inputs;
  if (!input || rest.length > 0) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component} writes the rows of exactly one upstream step, got ${inputs.length}`,
      { hint: 'List one step in `needs`; combine several with a duckdb.processor step first.' },
    );
  }
  return input;
}

export function optionalString(value: unknown, key: string, component: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.length > 0) return value;
  throw invalidConfig(component, key, 'a non-empty string');
}

export function optionalStringList(value: unknown, key: string, component: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.length > 0) return [value];
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'string' && item.length > 0)
  ) {
    return value as string[];
  }
  throw invalidConfig(component, key, 'a column name or a non-empty list of them');
}

export function optionalCount(value: unknown, key: string, component: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw invalidConfig(component, key, 'a whole number ≥ 0');
}

export function invalidConfig(component: string, key: string, expected: string): OsirisError {
  return new OsirisError(ErrorCodes.USAGE, `${component}: config \`${key}\` must be ${expected}`, {
    hint: `Run \`osiris components show ${component}\` for the config keys and their types.`,
  });
}

/** A read split into `ways` ranges of `column` (else the single-column primary key). */
export interface ParallelRead {
  ways: number;
  column?: string;
}

/** `parallel` and `partition_column`, shared by the database extractors that read in ranges. */
export function parseParallel(config: Record<string, unknown>, component: string): ParallelRead | undefined {
  const ways = optionalCount(config.parallel, 'parallel', component);
  const column = optionalString(config.partition_column, 'partition_column', component);
  if (ways !== undefined && (ways < 1 || ways > 16))
    throw invalidConfig(component, 'parallel', 'from 1 to 16');
  if (column !== undefined && (ways ?? 1) < 2)
    throw invalidConfig(component, 'parallel', 'at least 2 when `partition_column` is set');
  // Each range would apply the limit to a result it filters afterwards: the rows kept would be arbitrary.
  if ((ways ?? 1) > 1 && config.limit !== undefined && config.limit !== null)
    throw invalidConfig(component, 'limit', 'left out of a `parallel` read');
  if (ways === undefined || ways < 2) return undefined;
  return { ways, ...(column === undefined ? {} : { column }) };
}

/**
 * `[low, high]` cut into at most `ways` contiguous half-open ranges `[from, to)` of nearly equal
 * width, the last ending past `high`: how a parallel read splits an integer column.
 */
export function integerRanges(low: bigint, high: bigint, ways: number): Array<{ from: bigint; to: bigint }> {
  const span = high - low + 1n;
  const count = span < BigInt(ways) ? Number(span) : ways;
  return Array.from({ length: count }, (_, range) => ({
    from: low + (span * BigInt(range)) / BigInt(count),
    to: low + (span * BigInt(range + 1)) / BigInt(count),
  }));
}

/**
 * Each range of a parallel read streams through its own `read_csv`, whose buffer DuckDB takes from
 * the data plane's buffer pool (`csvBufferBytes`, two rows of the longest allowed). So many
 * buffers must not crowd out the table they fill (measured: two ranges in a 122 MiB pool run out
 * of memory): the ranges get at most half the pool, and a read asking for more is narrowed, with
 * a warning naming the setting that allows more.
 */
export async function affordableRanges(
  dataPlane: DataPlane,
  requested: number,
  csvBufferBytes: number,
  warn: (message: string, fields: Record<string, unknown>) => void,
): Promise<number> {
  const connection = await dataPlane.connect();
  let limitText: string;
  try {
    const reader = await connection.runAndReadAll("SELECT current_setting('memory_limit') AS limit");
    limitText = String(reader.getRows()[0]?.[0] ?? '');
  } finally {
    connection.closeSync();
  }
  const limit = memoryBytes(limitText);
  if (limit === undefined) return requested;
  const affordable = Math.max(1, Math.floor(limit / 2 / csvBufferBytes));
  if (requested <= affordable) return requested;
  warn(
    `parallel: ${requested} narrowed to ${affordable} ranges: the data plane's memory_limit (${limitText}) affords no more`,
    {
      requested,
      ranges: affordable,
      memory_limit: limitText,
      hint: `each range needs a ${Math.round(csvBufferBytes / 2 ** 20)} MiB read buffer; raise OSIRIS_MEMORY_LIMIT (or data_plane.memory_limit in osiris.yaml) for more`,
    },
  );
  return affordable;
}

/** DuckDB's `244.1 MiB` / `2.0 GiB` / `512 bytes` as a number of bytes. */
function memoryBytes(text: string): number | undefined {
  const match = /^([\d.]+)\s*(bytes|[KMGT]i?B)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2]!.toUpperCase();
  const power = unit === 'BYTES' ? 0 : 'KMGT'.indexOf(unit[0]!) + 1;
  const base = unit.includes('I') ? 1024 : 1000;
  return Number(match[1]) * base ** power;
}
