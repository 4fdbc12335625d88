/** What the user typed, once the mode prefixes are read. */
export type ChatInput =
  | { kind: 'sql'; sql: string }
  | { kind: 'message'; text: string; fast: boolean }
  | { kind: 'retry' };

/**
 * `SQL: SELECT …` builds a pipeline from the SQL without the model; `FAST: …` asks the model to
 * assume instead of asking; `retry` resends a turn the provider failed. Prefixes ignore case.
 */
export function parseChatInput(raw: string): ChatInput {
  const text = raw.trim();
  const sql = /^sql:\s*/i.exec(text);
  if (sql) return { kind: 'sql', sql: text.slice(sql[0].length).trim() };
  const fast = /^fast:\s*/i.exec(text);
  if (fast) return { kind: 'message', text: text.slice(fast[0].length).trim(), fast: true };
  if (/^(retry|try again)[.!]*$/i.test(text)) return { kind: 'retry' };
  return { kind: 'message', text, fast: false };
}
