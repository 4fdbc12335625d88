import { type Tool, tool } from 'ai';
import type { z } from 'zod';
import { isOsirisError } from '../../spec/errors.js';
import type { AgentState } from '../agent-state.js';
import type { ToolContext } from './tool-context.js';

/** Tool results larger than this are cut, so one wide table cannot flood the model's context. */
export const MAX_TOOL_RESULT_CHARS = 24_000;

export interface ToolOutcome {
  /** What the model receives (JSON-serialisable). */
  result: unknown;
  /** The end of the status line: "5 tables", "1 match in directors.name". */
  summary: string;
  /** false when the call worked but its answer is a failure (an invalid pipeline): a red status line. */
  ok?: boolean;
}

/** One agent tool: its schema for the model, the status line it shows, and what it does. */
export interface AgentToolDefinition<Schema extends z.ZodType> {
  name: string;
  description: string;
  inputSchema: Schema;
  /** The state a call moves the conversation to. */
  state?: AgentState;
  /** The start of the status line: "discovering @mysql.movies". */
  label(input: z.output<Schema>): string;
  run(input: z.output<Schema>, context: ToolContext): Promise<ToolOutcome>;
}

export function defineAgentTool<Schema extends z.ZodType>(
  definition: AgentToolDefinition<Schema>,
): AgentToolDefinition<Schema> {
  return definition;
}

/**
 * The AI SDK tool for a definition. It owns what every tool needs: the status line, state
 * changes, timing, secret masking and size limits. A failure becomes a structured result the
 * model can act on (and a red status line for the user); it never ends the conversation.
 */
export function toAiTool<Schema extends z.ZodType>(
  definition: AgentToolDefinition<Schema>,
  context: ToolContext,
): Tool {
  return tool({
    description: definition.description,
    inputSchema: definition.inputSchema,
    execute: async (input: z.output<Schema>, { toolCallId }: { toolCallId: string }) => {
      const label = context.redact(definition.label(input));
      const started = performance.now();
      context.emit({ type: 'tool-start', id: toolCallId, tool: definition.name, label });
      if (definition.state) context.enterState(definition.state);
      let ok = true;
      let summary: string;
      let result: unknown;
      try {
        context.signal.throwIfAborted();
        const outcome = await definition.run(input, context);
        summary = outcome.summary;
        result = outcome.result;
        if (outcome.ok === false) ok = false;
      } catch (error) {
        if (context.signal.aborted) throw error;
        ok = false;
        const problem = describeFailure(error);
        summary = `failed: ${problem.message}`;
        result = { ok: false, error: problem };
      }
      const durationMs = Math.round(performance.now() - started);
      summary = context.redact(summary);
      context.emit({
        type: 'tool-end',
        id: toolCallId,
        tool: definition.name,
        label,
        summary,
        ok,
        durationMs,
      });
      context.recordTool({ tool: definition.name, ok, duration_ms: durationMs, summary });
      return boundResult(result, context.redact);
    },
  }) as Tool;
}

function describeFailure(error: unknown): { code: string; message: string; hint?: string } {
  if (isOsirisError(error)) {
    return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  return { code: 'E_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Masks secrets and keeps the result under the size limit, saying so when it cuts. */
export function boundResult(result: unknown, redact: (text: string) => string): unknown {
  const text = redact(
    JSON.stringify(result, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)) ?? 'null',
  );
  if (text.length <= MAX_TOOL_RESULT_CHARS) return JSON.parse(text);
  return {
    truncated: true,
    note: `The result was cut to ${MAX_TOOL_RESULT_CHARS} characters. Ask for less (fewer tables, fewer rows, fewer columns).`,
    partial: text.slice(0, MAX_TOOL_RESULT_CHARS),
  };
}
