import type { RunIndexRow, RunListFilter } from '../run-index.js';
import { withRunIndex } from './with-run-index.js';

export const DEFAULT_LIST_LIMIT = 20;

/** Recent runs, newest first, straight from the SQLite index: session folders are never opened. */
export async function listRuns(projectDir: string, filter: RunListFilter = {}): Promise<RunIndexRow[]> {
  return withRunIndex(projectDir, (index) => index?.list({ limit: DEFAULT_LIST_LIMIT, ...filter }) ?? []);
}
