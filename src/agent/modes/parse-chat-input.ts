/** What the user typed, once the mode prefixes are read. */
export type ChatInput =
  | { kind: 'sql'; sql: string; connection?: string; output?: string }
  | { kind: 'message'; text: string; fast: boolean }
  | { kind: 'retry' };

/**
 * `SQL: SELECT …` builds a pipeline from the SQL without the model; `FAST: …` asks the model to
 * assume instead of asking; `retry` resends a turn the provider failed. Prefixes ignore case.
 * Between `SQL` and the colon, `@family.alias` picks the connection and a file name picks the
 * output and its format by extension: `SQL @postgres.wh output/events.parquet: SELECT …`.
 */
export function parseChatInput(raw: string): ChatInput {
  const text = raw.trim();
  const sql = /^sql((?:\s+(?:@[\w.-]+|[\w./-]+\.(?:csv|parquet|jsonl|json)))*)\s*:\s*/i.exec(text);
  if (sql) {
    const options: { connection?: string; output?: string } = {};
    for (const word of (sql[1] ?? '').trim().split(/\s+/).filter(Boolean)) {
      if (word.startsWith('@')) options.connection = word;
      else options.output = word;
    }
    return { kind: 'sql', sql: text.slice(sql[0].length).trim(), ...options };
  }
  const fast = /^fast:\s*/i.exec(text);
  if (fast) return { kind: 'message', text: text.slice(fast[0].length).trim(), fast: true };
  if (/^(retry|try again)[.!]*$/i.test(text)) return { kind: 'retry' };
  return { kind: 'message', text, fast: false };
}
