import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { McpContext } from './mcp-context.js';

/** What a tool's handler gets besides its arguments. */
export interface ToolCall {
  context: McpContext;
  /** Aborted when the client cancels the request or disconnects. */
  signal: AbortSignal;
  /** Tell the client how far a long call got (sent only when the client asked for progress; never rejects). */
  progress(progress: number, message: string, total?: number): Promise<void>;
  /**
   * Ask the human directly, not the model, to confirm (MCP elicitation, form mode): accept,
   * decline or cancel. Absent when the client did not declare the `elicitation` capability.
   * Rejects when the client fails to answer; that is never a yes.
   */
  confirm?: (message: string) => Promise<HumanAnswer>;
}

/** What the human answered a confirmation with (the MCP elicitation actions). */
export type HumanAnswer = 'accept' | 'decline' | 'cancel';

/**
 * One MCP tool: its published contract and a handler returning a JSON object. Handlers throw
 * OsirisError for anything the model should correct; the registration turns both outcomes into
 * scrubbed MCP results. Heavy modules are imported inside `run` so the server starts fast.
 */
export interface OsirisTool<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: Input;
  annotations: ToolAnnotations;
  run(args: z.output<Input>, call: ToolCall): Promise<Record<string, unknown>>;
}

/** Keeps each tool's argument type precise while letting the list hold tools of any input. */
export function defineTool<Input extends z.ZodObject>(tool: OsirisTool<Input>): OsirisTool {
  return tool as unknown as OsirisTool;
}
