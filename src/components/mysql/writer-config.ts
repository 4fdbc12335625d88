import { ErrorCodes, OsirisError } from '../../spec/errors.js';

export type WriteMode = 'append' | 'replace' | 'upsert';

export interface WriterConfig {
  table: string;
  schema?: string;
  writeMode: WriteMode;
  primaryKey: string[];
  createIfMissing: boolean;
  batchSize: number;
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
  };
}
