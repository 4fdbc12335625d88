import { parseTargetConfig } from '../shared/database-config.js';
import type { Scd2Columns, SchemaChange, WriteMode } from '../shared/write-strategy.js';
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
  const { mode: writeMode, ...target } = parseTargetConfig(config, 'mysql.writer', {
    batchSize: 5000,
    lockTimeoutSeconds: DEFAULT_LOCK_TIMEOUT_SECONDS,
  });
  return { writeMode, ...target };
}
