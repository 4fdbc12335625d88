import type { ModelMessage } from 'ai';

/** Messages sent to the model per turn; older ones stay in the session but are not resent. */
export const HISTORY_MESSAGES = 60;

/**
 * The tail of a conversation that fits the budget, starting at a user message so that no tool
 * result is sent without the call it answers. What was discovered earlier stays in the system
 * prompt, so cutting old messages loses no schema.
 */
export function recentHistory(messages: readonly ModelMessage[], limit = HISTORY_MESSAGES): ModelMessage[] {
  if (messages.length <= limit) return [...messages];
  let start = messages.length - limit;
  while (start < messages.length && messages[start]?.role !== 'user') start += 1;
  return messages.slice(start);
}

export function userMessage(text: string): ModelMessage {
  return { role: 'user', content: text };
}

export function assistantMessage(text: string): ModelMessage {
  return { role: 'assistant', content: text };
}
