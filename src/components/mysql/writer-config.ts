import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import {
  parseWriteStrategy,
  type Scd2Columns,
  type SchemaChange,
  type WriteMode,
} from '../shared/write-strategy.js';
import { DEFAULT_LOCK_TIMEOUT_SECONDS } from './target-lock.js';

export type { WriteMode } from '../shared/write-strategy.js';

export interface WriterConfig {
  table: string;
  schema?: string;
  writeMode: WriteMode;
  primaryKey: string[];
  /** Input column whose true value deletes (scd2: closes) the target row of its key. */
  deletedColumn?: string;
  scd2Columns: Scd2Columns;
  schemaChange: SchemaChange;
  createIfMissing: boolean;
  batchSize: number;
  /** Seconds to wait for another writer of the target (and for other sessions' locks on it). */
  lockTimeoutSeconds: number;
}

/** Step config (already schema-validated by the compiler) with defaults, checked once more here. */
export function parseWriterConfig(config: Record<string, unknown>): WriterConfig {
  const table = config.table;
  if (typeof table !== 'string' || table === '') {
    throw new OsirisError(ErrorCodes.STEP_FAILED, 'mysql.writer: `table` is required', {
      hint: 'for example `table: customers`',
    });
  }
  const { mode: writeMode, ...strategy } = parseWriteStrategy(config, 'mysql.writer', ErrorCodes.STEP_FAILED);
  return {
    table,
    ...(typeof config.schema === 'string' ? { schema: config.schema } : {}),
    writeMode,
    ...strategy,
    createIfMissing: config.create_if_missing !== false,
    batchSize: typeof config.batch_size === 'number' ? config.batch_size : 5000,
    lockTimeoutSeconds: lockTimeout(config.lock_timeout),
  };
}

function lockTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_LOCK_TIMEOUT_SECONDS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new OsirisError(
    ErrorCodes.STEP_FAILED,
    'mysql.writer: `lock_timeout` must be a whole number of seconds ≥ 1',
    {
      hint: 'for example `lock_timeout: 600`',
    },
  );
}
