import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { ConnectionOverrides } from './connection-settings.js';
import {
  connectionOverrides,
  optionalCount,
  optionalString,
  optionalStringList,
} from './extractor-config.js';
import { DEFAULT_LOCK_TIMEOUT_SECONDS } from './target-lock.js';

export type WriteMode = 'append' | 'replace' | 'upsert';
const WRITE_MODES: readonly WriteMode[] = ['append', 'replace', 'upsert'];

export interface WriterSettings {
  schema: string;
  table: string;
  mode: WriteMode;
  /** Empty when not given. */
  primaryKey: string[];
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
  const mode = (config.write_mode ?? 'append') as WriteMode;
  if (!WRITE_MODES.includes(mode)) {
    throw new OsirisError(
      ErrorCodes.USAGE,
      `${component}: write_mode "${String(config.write_mode)}" is not one of ${WRITE_MODES.join(', ')}`,
    );
  }
  const primaryKey = optionalStringList(config.primary_key, 'primary_key', component) ?? [];
  if (mode !== 'append' && primaryKey.length === 0) {
    throw new OsirisError(ErrorCodes.USAGE, `${component}: write_mode ${mode} needs \`primary_key\``, {
      hint: 'Set primary_key to the column (or list of columns) that identifies a row, e.g. `primary_key: id`.',
    });
  }
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
    mode,
    primaryKey,
    createIfMissing,
    batchSize: optionalCount(config.batch_size, 'batch_size', component) ?? DEFAULT_BATCH_SIZE,
    lockTimeoutSeconds: lockTimeout ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
    overrides: connectionOverrides(config, component),
  };
}
