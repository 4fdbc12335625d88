import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { DEFAULT_LOCK_TIMEOUT_SECONDS } from './target-lock.js';

export type WriteMode = 'append' | 'replace' | 'upsert';

export interface WriterConfig {
  table: string;
  schema?: string;
  writeMode: WriteMode;
  primaryKey: string[];
  createIfMissing: boolean;
  batchSize: number;
  /** Seconds to wait for another writer of the target (and for other sessions' locks on it). */
  lockTimeoutSeconds: number;
}

const WRITE_MODES: readonly WriteMode[] = ['append', 'replace', 'upsert'];

/** Step config (already schema-validated by the compiler) with defaults, checked once more here. */
export function parseWriterConfig(config: Record<string, unknown>): WriterConfig {
  const table = config.table;
  if (typeof table !== 'string' || table === '') {
    throw new OsirisError(ErrorCodes.STEP_FAILED, 'mysql.writer: `table` is required', {
      hint: 'for example `table: customers`',
    });
  }
  const writeMode = (config.write_mode ?? 'append') as WriteMode;
  if (!WRITE_MODES.includes(writeMode)) {
    throw new OsirisError(ErrorCodes.STEP_FAILED, `mysql.writer: unknown write_mode "${String(writeMode)}"`, {
      hint: `use one of ${WRITE_MODES.join(', ')}`,
    });
  }
  const primaryKey = config.primary_key === undefined ? [] : [config.primary_key].flat().map(String);
  if (writeMode !== 'append' && primaryKey.length === 0) {
    throw new OsirisError(ErrorCodes.STEP_FAILED, `mysql.writer: write_mode ${writeMode} needs primary_key`, {
      hint: 'name the column(s) that identify a row, e.g. `primary_key: id`',
    });
  }
  return {
    table,
    ...(typeof config.schema === 'string' ? { schema: config.schema } : {}),
    writeMode,
    primaryKey,
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
