import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import type { CursorKind, CursorValue } from '../../spec/incremental.js';

/** One stored cursor: the last value a successful run of an incremental extractor saw. */
export interface CursorState extends CursorValue {
  pipeline: string;
  step_id: string;
  /**
   * `sha256:` of the cursor definition and source (component, connection, table or query, cursor):
   * a state stored for another definition is not used. Null when set by hand (`osiris state set`).
   */
  fingerprint: string | null;
  cursor: string;
  /** The run that stored it; null when set by hand. */
  run_id: string | null;
  updated_at: string;
}

/** One run's window of an incremental extractor, kept for `osiris state show` history. */
export interface WindowRecord {
  pipeline: string;
  step_id: string;
  run_id: string;
  from_value: string | null;
  to_value: string | null;
  rows: number;
  committed_at: string;
}

/** `.osiris/state.db` of a project. */
export function stateDbPath(projectDir: string): string {
  return join(projectDir, '.osiris', 'state.db');
}

/**
 * The project's incremental state (SQLite, better-sqlite3 like the run index). Only the host writes
 * it, only after a run's writers have succeeded; workers never see this file.
 */
export class StateStore {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS cursor_state (
      pipeline TEXT NOT NULL,
      step_id TEXT NOT NULL,
      fingerprint TEXT,
      cursor TEXT NOT NULL,
      value TEXT NOT NULL,
      kind TEXT NOT NULL,
      run_id TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (pipeline, step_id)
    );
    CREATE TABLE IF NOT EXISTS window_history (
      pipeline TEXT NOT NULL,
      step_id TEXT NOT NULL,
      run_id TEXT NOT NULL,
      from_value TEXT,
      to_value TEXT,
      rows INTEGER NOT NULL,
      committed_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS window_history_pipeline ON window_history (pipeline, committed_at);`);
  }

  /**
   * Opens (and creates) the store. With `create: false` a project without one gets undefined, so
   * read-only commands never leave an empty `.osiris/state.db` behind.
   */
  static async open(path: string, options: { create?: boolean } = {}): Promise<StateStore | undefined> {
    if (options.create === false && !existsSync(path)) return undefined;
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    try {
      mkdirSync(dirname(path), { recursive: true });
      const db = new BetterSqlite3(path);
      try {
        return new StateStore(db);
      } catch (error) {
        db.close();
        throw error;
      }
    } catch (error) {
      throw new OsirisError(
        ErrorCodes.STATE_FAILED,
        `Cannot open the incremental state ${path}: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: 'Check that .osiris/ is writable. Deleting state.db forgets every cursor: the next runs read from initial_value (or recover from their targets).',
          cause: error,
        },
      );
    }
  }

  get(pipeline: string, stepId: string): CursorState | undefined {
    const row = this.#db
      .prepare('SELECT * FROM cursor_state WHERE pipeline = ? AND step_id = ?')
      .get(pipeline, stepId) as CursorState | undefined;
    return row ? { ...row, kind: row.kind as CursorKind } : undefined;
  }

  list(pipeline?: string): CursorState[] {
    const rows = (
      pipeline === undefined
        ? this.#db.prepare('SELECT * FROM cursor_state ORDER BY pipeline, step_id').all()
        : this.#db.prepare('SELECT * FROM cursor_state WHERE pipeline = ? ORDER BY step_id').all(pipeline)
    ) as CursorState[];
    return rows;
  }

  /** Stores a cursor (and, for a run, its window) in one transaction. */
  put(
    state: CursorState,
    window?: Omit<WindowRecord, 'pipeline' | 'step_id' | 'run_id' | 'committed_at'>,
  ): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO cursor_state (pipeline, step_id, fingerprint, cursor, value, kind, run_id, updated_at)
           VALUES (@pipeline, @step_id, @fingerprint, @cursor, @value, @kind, @run_id, @updated_at)
           ON CONFLICT (pipeline, step_id) DO UPDATE SET fingerprint = excluded.fingerprint,
             cursor = excluded.cursor, value = excluded.value, kind = excluded.kind,
             run_id = excluded.run_id, updated_at = excluded.updated_at`,
        )
        .run(state);
      if (window && state.run_id) {
        this.#db
          .prepare(
            `INSERT INTO window_history (pipeline, step_id, run_id, from_value, to_value, rows, committed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            state.pipeline,
            state.step_id,
            state.run_id,
            window.from_value,
            window.to_value,
            window.rows,
            state.updated_at,
          );
      }
    })();
  }

  /** Windows of earlier runs, newest first. */
  history(pipeline: string, limit = 20): WindowRecord[] {
    return this.#db
      .prepare(
        'SELECT * FROM window_history WHERE pipeline = ? ORDER BY committed_at DESC, rowid DESC LIMIT ?',
      )
      .all(pipeline, limit) as WindowRecord[];
  }

  /** Forgets the cursors of a pipeline (or one of its steps); returns how many were removed. */
  reset(pipeline: string, stepId?: string): number {
    const result =
      stepId === undefined
        ? this.#db.prepare('DELETE FROM cursor_state WHERE pipeline = ?').run(pipeline)
        : this.#db
            .prepare('DELETE FROM cursor_state WHERE pipeline = ? AND step_id = ?')
            .run(pipeline, stepId);
    return result.changes;
  }

  close(): void {
    this.#db.close();
  }
}
