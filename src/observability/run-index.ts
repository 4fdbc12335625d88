import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { RunStatusFile } from '../spec/events.js';
import { isDamagedDatabase, readRunStatuses } from './run-folders.js';

export interface RunIndexRow {
  run_id: string;
  pipeline: string;
  status: string;
  adapter: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  total_rows: number;
  session_dir: string;
  manifest_fp: string;
  error_code: string | null;
  /** The run's process (see RunStatusFile.process); null for runs recorded before it was kept. */
  pid?: number | null;
  host?: string | null;
  process_started?: string | null;
  /** When the leftovers of a crashed run were removed; null while they may still be there. */
  leftovers_removed_at?: string | null;
}

export interface RunListFilter {
  status?: string;
  pipeline?: string;
  /** ISO timestamp: runs started at or after it. */
  since?: string;
  limit?: number;
}

const ADDED_COLUMNS: Array<[string, string]> = [
  ['pid', 'INTEGER'],
  ['host', 'TEXT'],
  ['process_started', 'TEXT'],
  ['leftovers_removed_at', 'TEXT'],
];

/** SQLite index of run sessions so `osiris logs list` never scans session folders. */
export class RunIndex {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    // Two runs starting at once in a fresh project both migrate: IMMEDIATE makes the second wait
    // for the first (busy_timeout) and then find the columns there, instead of adding them twice.
    db.transaction(() => {
      db.exec(`CREATE TABLE IF NOT EXISTS runs (
        run_id TEXT PRIMARY KEY,
        pipeline TEXT NOT NULL,
        status TEXT NOT NULL,
        adapter TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        total_rows INTEGER NOT NULL DEFAULT 0,
        session_dir TEXT NOT NULL,
        manifest_fp TEXT NOT NULL,
        error_code TEXT
      );
      CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at);
      CREATE INDEX IF NOT EXISTS runs_pipeline ON runs (pipeline, started_at);`);
      // Columns added after the first release: an older index gains them in place.
      const present = new Set(
        (db.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>).map((column) => column.name),
      );
      for (const [name, type] of ADDED_COLUMNS) {
        if (!present.has(name)) db.exec(`ALTER TABLE runs ADD COLUMN ${name} ${type}`);
      }
    }).immediate();
  }

  /**
   * better-sqlite3 is a native module: loaded on first use, not at CLI start-up. The index only
   * mirrors the run folders, so a missing one is rebuilt from their status.json files, and a
   * damaged one (say a pipeline wrote a CSV over it) is set aside as `index.db.damaged` and
   * rebuilt: no run is lost and no command fails because of it.
   */
  static async open(path: string): Promise<RunIndex> {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    mkdirSync(dirname(path), { recursive: true });
    const connect = (): RunIndex => {
      const db = new BetterSqlite3(path);
      try {
        return new RunIndex(db);
      } catch (error) {
        db.close();
        throw error;
      }
    };
    let rebuild = !existsSync(path);
    let index: RunIndex;
    try {
      index = connect();
    } catch (error) {
      if (!isDamagedDatabase(error)) throw error;
      renameSync(path, `${path}.damaged`);
      for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      index = connect();
      rebuild = true;
    }
    if (rebuild) for (const status of readRunStatuses(dirname(path))) index.upsert(status);
    return index;
  }

  upsert(status: RunStatusFile): void {
    this.#db
      .prepare(
        `INSERT INTO runs (run_id, pipeline, status, adapter, started_at, finished_at, duration_ms, total_rows, session_dir, manifest_fp, error_code, pid, host, process_started, leftovers_removed_at)
         VALUES (@run_id, @pipeline, @status, @adapter, @started_at, @finished_at, @duration_ms, @total_rows, @session_dir, @manifest_fp, @error_code, @pid, @host, @process_started, @leftovers_removed_at)
         ON CONFLICT (run_id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
           duration_ms = excluded.duration_ms, total_rows = excluded.total_rows, error_code = excluded.error_code,
           pid = excluded.pid, host = excluded.host, process_started = excluded.process_started,
           leftovers_removed_at = excluded.leftovers_removed_at`,
      )
      .run({
        run_id: status.run_id,
        pipeline: status.pipeline,
        status: status.status,
        adapter: status.adapter,
        started_at: status.started_at,
        finished_at: status.finished_at ?? null,
        duration_ms: status.duration_ms ?? null,
        total_rows: status.total_rows,
        session_dir: status.session_dir,
        manifest_fp: status.manifest_fp,
        error_code: status.error?.code ?? null,
        pid: status.process?.pid ?? null,
        host: status.process?.host ?? null,
        process_started: status.process?.started ?? null,
        leftovers_removed_at: status.leftovers_removed_at ?? null,
      });
  }

  list(filter: RunListFilter = {}): RunIndexRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.status) {
      where.push('status = @status');
      params.status = filter.status;
    }
    if (filter.pipeline) {
      where.push('pipeline = @pipeline');
      params.pipeline = filter.pipeline;
    }
    if (filter.since) {
      where.push('started_at >= @since');
      params.since = filter.since;
    }
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY started_at DESC, run_id DESC LIMIT @limit`;
    return this.#db.prepare(sql).all({ ...params, limit: filter.limit ?? 50 }) as RunIndexRow[];
  }

  get(runId: string): RunIndexRow | undefined {
    return this.#db.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunIndexRow | undefined;
  }

  last(): RunIndexRow | undefined {
    return this.list({ limit: 1 })[0];
  }

  delete(runIds: string[]): void {
    const statement = this.#db.prepare('DELETE FROM runs WHERE run_id = ?');
    this.#db.transaction((ids: string[]) => {
      for (const id of ids) statement.run(id);
    })(runIds);
  }

  close(): void {
    this.#db.close();
  }
}
