import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import {
  parseWriteStrategy,
  type Scd2Columns,
  type SchemaChange,
  type WriteMode,
} from '../shared/write-strategy.js';
import type { ConnectionOverrides } from './connection-settings.js';
import {
  connectionOverrides,
  optionalCount,
  optionalString,
  optionalStringList,
} from './extractor-config.js';
import { DEFAULT_LOCK_TIMEOUT_SECONDS } from './target-lock.js';

export type { WriteMode } from '../shared/write-strategy.js';

export interface WriterSettings {
  schema: string;
  table: string;
  mode: WriteMode;
  /** Empty when not given. */
  primaryKey: string[];
  /** Input column whose true value deletes (scd2: closes) the target row of its key. */
  deletedColumn?: string;
  scd2Columns: Scd2Columns;
  schemaChange: SchemaChange;
  createIfMissing: boolean;
  batchSize: number;
  /** Seconds to wait for another writer of the target (and for other sessions' locks on it). */
  lockTimeoutSeconds: number;
  overrides: ConnectionOverrides;
}

const DEFAULT_BATCH_SIZE = 5000;

/** The step config of postgres.writer / supabase.writer, re-checked where the driver relies on it. */
export function parseWriterSettings(config: Record<string, unknown>, component: string): WriterSettings {
  const table = optionalString(config.table, 'table', component);
  if (!table) {
    throw new OsirisError(ErrorCodes.USAGE, `${component}: config \`table\` is required`, {
      hint: 'Name the table to write to.',
    });
  }
  const strategy = parseWriteStrategy(config, component, ErrorCodes.USAGE);
  optionalStringList(config.primary_key, 'primary_key', component);
  const createIfMissing = config.create_if_missing ?? true;
  if (typeof createIfMissing !== 'boolean') {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component}: config \`create_if_missing\` must be true or false`,
    );
  }
  const lockTimeout = optionalCount(config.lock_timeout, 'lock_timeout', component);
  if (lockTimeout === 0) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component}: config \`lock_timeout\` must be at least 1 (seconds)`,
    );
  }
  return {
    schema: optionalString(config.schema, 'schema', component) ?? 'public',
    table,
    ...strategy,
    createIfMissing,
    batchSize: optionalCount(config.batch_size, 'batch_size', component) ?? DEFAULT_BATCH_SIZE,
    lockTimeoutSeconds: lockTimeout ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
    overrides: connectionOverrides(config, component),
  };
}
