/**
 * What a model request says, independent of the provider protocol it came in: the part of a
 * request that scenarios make assertions about.
 */
export type ProtocolName = 'openai-chat' | 'openai-responses' | 'anthropic-messages';

export interface ModelCallMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface ModelCallToolResult {
  toolCallId: string;
  /** Resolved from the tool call in the same request, or from a call this server issued earlier. */
  toolName: string | undefined;
  text: string;
}

export interface ModelCall {
  protocol: ProtocolName;
  model: string;
  stream: boolean;
  /** OpenAI chat completions only: `stream_options.include_usage` was set. */
  includeUsage: boolean;
  /** All system and developer instructions, joined by newlines. */
  system: string;
  /** User and assistant text, in order; messages without text are left out. */
  messages: ModelCallMessage[];
  /** Names of the tools offered to the model. */
  tools: string[];
  /** Tool results in the order they appear in the request. */
  toolResults: ModelCallToolResult[];
}

export function lastUserMessage(call: ModelCall): string | undefined {
  for (let index = call.messages.length - 1; index >= 0; index -= 1) {
    const message = call.messages[index];
    if (message?.role === 'user') return message.text;
  }
  return undefined;
}

/** The most recent result of `toolName`, or of any tool when no name is given. */
export function latestToolResult(call: ModelCall, toolName?: string): ModelCallToolResult | undefined {
  for (let index = call.toolResults.length - 1; index >= 0; index -= 1) {
    const result = call.toolResults[index];
    if (result !== undefined && (toolName === undefined || result.toolName === toolName)) return result;
  }
  return undefined;
}

/** Text of a message content that is a string or a list of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join('\n');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
