import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool call's result, with the structured body tests read. */
export interface ToolOutcome {
  result: CallToolResult;
  body: Record<string, unknown>;
  error?: { code: string; message: string; hint?: string; details?: Record<string, unknown> };
}

/**
 * Calls a tool and keeps every raw result in `seen`, so a test can scan all of them for
 * planted secrets at the end.
 */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  seen?: string[],
): Promise<ToolOutcome> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  seen?.push(JSON.stringify(result));
  const body = (result.structuredContent ?? {}) as Record<string, unknown>;
  const error = result.isError ? (body.error as ToolOutcome['error']) : undefined;
  return error ? { result, body, error } : { result, body };
}

/** The text the model reads must say the same as the structured body. */
export function textOf(outcome: ToolOutcome): string {
  return outcome.result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
