import { parseTargetConfig } from '../shared/database-config.js';
import type { Scd2Columns, SchemaChange, WriteMode } from '../shared/write-strategy.js';
import type { ConnectionOverrides } from './connection-settings.js';
import { connectionOverrides } from './extractor-config.js';
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
  const { schema, ...target } = parseTargetConfig(config, component, {
    batchSize: DEFAULT_BATCH_SIZE,
    lockTimeoutSeconds: DEFAULT_LOCK_TIMEOUT_SECONDS,
  });
  return { schema: schema ?? 'public', ...target, overrides: connectionOverrides(config, component) };
}
