import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import type { DataPlane } from '../../spec/driver.js';
import { CancelledError } from '../../spec/errors.js';
import { scrubCsvMessage } from './csv-error.js';

const INTERRUPT_REPEAT_MS = 50;

/**
 * Runs `work` on a DuckDB connection of the step's own: temporary views, `USE` and interrupts
 * then stay within this step even when steps run concurrently.
 */
export async function withStepConnection<T>(
  dataPlane: DataPlane,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const connection = await dataPlane.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

export function cancelledError(cause?: unknown): CancelledError {
  return new CancelledError('The step was cancelled.', cause === undefined ? {} : { cause });
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

/**
 * Runs one statement that an abort interrupts inside DuckDB (a long COPY or CREATE TABLE AS stops
 * within milliseconds instead of running to the end). Interrupted → E_CANCELLED; other errors
 * are DuckDB's, for the caller to explain.
 */
export async function runInterruptible(
  connection: DuckDBConnection,
  sql: string,
  signal: AbortSignal,
  /** Bound parameters (`$1`, `$2`, ...), when the statement has any. */
  values?: string[],
): Promise<DuckDBMaterializedResult> {
  throwIfCancelled(signal);
  let repeat: NodeJS.Timeout | undefined;
  const interrupt = (): void => {
    connection.interrupt();
    // An interrupt that reaches DuckDB before the statement has started is forgotten when it
    // starts; repeating it until the statement settles closes that gap.
    repeat ??= setInterval(() => connection.interrupt(), INTERRUPT_REPEAT_MS);
  };
  signal.addEventListener('abort', interrupt, { once: true });
  try {
    const result = values?.length ? await connection.run(sql, values) : await connection.run(sql);
    throwIfCancelled(signal);
    return result;
  } catch (error) {
    if (signal.aborted) throw cancelledError(error);
    throw error;
  } finally {
    signal.removeEventListener('abort', interrupt);
    clearInterval(repeat);
  }
}

/** An error's message; DuckDB's CSV errors lose the row they quote ("Original Line: …"), see csv-error.ts. */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes('Original Line:') ? scrubCsvMessage(message) : message;
}
