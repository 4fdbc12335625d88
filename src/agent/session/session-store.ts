import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ModelMessage } from 'ai';
import type Database from 'better-sqlite3';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { isAgentState } from '../agent-state.js';
import { newSessionId } from './session-id.js';
import type { SessionEvent, SessionEventKind, SessionRecord, SessionSummary } from './session-types.js';

export const SESSIONS_DATABASE = path.join('.osiris', 'sessions.db');

interface SessionRow {
  id: string;
  created_at: string;
  updated_at: string;
  title: string;
  state: string;
  data_json: string;
}

export interface SessionStoreOptions {
  /** Applied to every text written (a last line of defence against secrets reaching the file). */
  redact?: (text: string) => string;
}

/**
 * Chat sessions in SQLite (`.osiris/sessions.db`): the session row (state, discovered context,
 * proposal), the model messages in order, and an event log (state changes, approvals, metrics).
 */
export class SessionStore {
  readonly #db: Database.Database;
  readonly #redact: (text: string) => string;

  private constructor(db: Database.Database, options: SessionStoreOptions) {
    this.#db = db;
    this.#redact = options.redact ?? ((text) => text);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      title TEXT NOT NULL,
      state TEXT NOT NULL,
      data_json TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sessions_updated ON sessions (updated_at);
    CREATE TABLE IF NOT EXISTS messages (
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      role TEXT NOT NULL,
      created_at TEXT NOT NULL,
      content_json TEXT NOT NULL,
      PRIMARY KEY (session_id, seq)
    );
    CREATE TABLE IF NOT EXISTS session_events (
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      ts TEXT NOT NULL,
      kind TEXT NOT NULL,
      data_json TEXT NOT NULL,
      PRIMARY KEY (session_id, seq)
    );`);
  }

  /** better-sqlite3 is a native module: loaded on first use, not at CLI start-up. */
  static async open(projectDir: string, options: SessionStoreOptions = {}): Promise<SessionStore> {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const file = path.join(projectDir, SESSIONS_DATABASE);
    mkdirSync(path.dirname(file), { recursive: true });
    return new SessionStore(new BetterSqlite3(file), options);
  }

  create(now: Date = new Date()): SessionRecord {
    const ts = now.toISOString();
    const record: SessionRecord = {
      id: newSessionId(now),
      createdAt: ts,
      updatedAt: ts,
      title: '',
      state: 'INIT',
      context: { connections: {} },
    };
    this.#db
      .prepare(
        'INSERT INTO sessions (id, created_at, updated_at, title, state, data_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(record.id, ts, ts, '', record.state, this.#dataJson(record));
    return record;
  }

  get(id: string): SessionRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** The session with `id`, or an error listing how to find one. */
  require(id: string): SessionRecord {
    const record = this.get(id);
    if (record) return record;
    const recent = this.list(5).map((session) => session.id);
    throw new OsirisError(ErrorCodes.SESSION_NOT_FOUND, `No chat session ${id}.`, {
      hint:
        recent.length > 0
          ? `recent sessions: ${recent.join(', ')} (osiris chat sessions lists them all)`
          : 'there are no sessions yet; run `osiris chat` to start one',
      details: { session: id },
    });
  }

  /** The most recently active session. */
  latest(): SessionRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM sessions ORDER BY updated_at DESC, id DESC LIMIT 1').get() as
      | SessionRow
      | undefined;
    return row ? toRecord(row) : undefined;
  }

  save(record: SessionRecord, now: Date = new Date()): void {
    record.updatedAt = now.toISOString();
    this.#db
      .prepare('UPDATE sessions SET updated_at = ?, title = ?, state = ?, data_json = ? WHERE id = ?')
      .run(record.updatedAt, this.#redact(record.title), record.state, this.#dataJson(record), record.id);
  }

  appendMessages(sessionId: string, messages: readonly ModelMessage[], now: Date = new Date()): void {
    if (messages.length === 0) return;
    const insert = this.#db.prepare(
      'INSERT INTO messages (session_id, seq, role, created_at, content_json) VALUES (?, ?, ?, ?, ?)',
    );
    const append = this.#db.transaction(() => {
      let seq = this.#nextSeq('messages', sessionId);
      for (const message of messages) {
        insert.run(sessionId, seq, message.role, now.toISOString(), this.#redact(JSON.stringify(message)));
        seq += 1;
      }
    });
    append();
  }

  messages(sessionId: string): ModelMessage[] {
    const rows = this.#db
      .prepare('SELECT content_json FROM messages WHERE session_id = ? ORDER BY seq')
      .all(sessionId) as { content_json: string }[];
    return rows.map((row) => JSON.parse(row.content_json) as ModelMessage);
  }

  recordEvent(
    sessionId: string,
    kind: SessionEventKind,
    data: Record<string, unknown>,
    now = new Date(),
  ): void {
    this.#db
      .prepare('INSERT INTO session_events (session_id, seq, ts, kind, data_json) VALUES (?, ?, ?, ?, ?)')
      .run(
        sessionId,
        this.#nextSeq('session_events', sessionId),
        now.toISOString(),
        kind,
        this.#redact(JSON.stringify(data)),
      );
  }

  events(sessionId: string, kind?: SessionEventKind): SessionEvent[] {
    const rows = (
      kind === undefined
        ? this.#db
            .prepare('SELECT seq, ts, kind, data_json FROM session_events WHERE session_id = ? ORDER BY seq')
            .all(sessionId)
        : this.#db
            .prepare(
              'SELECT seq, ts, kind, data_json FROM session_events WHERE session_id = ? AND kind = ? ORDER BY seq',
            )
            .all(sessionId, kind)
    ) as { seq: number; ts: string; kind: SessionEventKind; data_json: string }[];
    return rows.map((row) => ({ seq: row.seq, ts: row.ts, kind: row.kind, data: JSON.parse(row.data_json) }));
  }

  /** Sessions, most recent first, with message counts and token totals. */
  list(limit = 50): SessionSummary[] {
    const rows = this.#db
      .prepare(
        `SELECT s.*,
          (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count,
          (SELECT COALESCE(SUM(json_extract(e.data_json, '$.input_tokens')), 0) FROM session_events e
             WHERE e.session_id = s.id AND e.kind = 'metric') AS input_tokens,
          (SELECT COALESCE(SUM(json_extract(e.data_json, '$.output_tokens')), 0) FROM session_events e
             WHERE e.session_id = s.id AND e.kind = 'metric') AS output_tokens
        FROM sessions s ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`,
      )
      .all(limit) as (SessionRow & { message_count: number; input_tokens: number; output_tokens: number })[];
    return rows.map((row) => {
      const record = toRecord(row);
      return {
        id: record.id,
        title: record.title,
        state: record.state,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        messages: row.message_count,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        ...(record.proposal?.status === 'pending' ? { pendingPipeline: record.proposal.name } : {}),
      };
    });
  }

  close(): void {
    this.#db.close();
  }

  #nextSeq(table: 'messages' | 'session_events', sessionId: string): number {
    const row = this.#db
      .prepare(`SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM ${table} WHERE session_id = ?`)
      .get(sessionId) as { next: number };
    return row.next;
  }

  #dataJson(record: SessionRecord): string {
    const { context, proposal, lastRun, interruptedTurn } = record;
    return this.#redact(JSON.stringify({ context, proposal, lastRun, interruptedTurn }));
  }
}

function toRecord(row: SessionRow): SessionRecord {
  const data = JSON.parse(row.data_json) as Partial<SessionRecord>;
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    title: row.title,
    state: isAgentState(row.state) ? row.state : 'ERROR',
    context: data.context ?? { connections: {} },
    ...(data.proposal ? { proposal: data.proposal } : {}),
    ...(data.lastRun ? { lastRun: data.lastRun } : {}),
    ...(data.interruptedTurn ? { interruptedTurn: true } : {}),
  };
}
