import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * One line per tool call or resource read. Only sizes, timings and outcome: argument values may
 * hold data or OML with literals, so only argument names are kept.
 */
export interface AuditEntry {
  ts: string;
  kind: 'tool' | 'resource';
  /** Tool name, or the resource URI's scheme and first segment (`osiris://runs`). */
  name: string;
  duration_ms: number;
  argument_keys: string[];
  argument_bytes: number;
  result_bytes: number;
  ok: boolean;
  error_code?: string;
  /** Streamable HTTP session, when the call came over HTTP. */
  session_id?: string;
}

export function auditLogFile(projectDir: string): string {
  return join(projectDir, '.osiris', 'mcp', 'audit.jsonl');
}

/** Appends audit lines; writes are chained so concurrent calls never interleave within a line. */
export class AuditLog {
  readonly file: string;
  #tail: Promise<void> = Promise.resolve();

  constructor(projectDir: string) {
    this.file = auditLogFile(projectDir);
  }

  record(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.#tail.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, line, { mode: 0o600 });
    });
    // A failed write must not block every later one; the caller still sees this one's error.
    this.#tail = write.catch(() => undefined);
    return write;
  }
}
