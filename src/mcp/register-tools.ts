import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { isOsirisError } from '../spec/errors.js';
import { callRedactor } from './call-redactor.js';
import type { McpContext } from './mcp-context.js';
import type { HumanAnswer, OsirisTool, ToolCall } from './osiris-tool.js';
import { toolFailure, toolSuccess } from './tool-result.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** How long a confirmation waits for the human before it counts as unanswered (not as a yes). */
const HUMAN_ANSWER_TIMEOUT_MS = 10 * 60_000;

/** Register every tool; each call's result or error is scrubbed of secrets on the way out. */
export function registerTools(server: McpServer, tools: readonly OsirisTool[], context: McpContext): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args, extra) => runTool(server, tool, args as Record<string, unknown>, context, extra),
    );
  }
}

async function runTool(
  server: McpServer,
  tool: OsirisTool,
  args: Record<string, unknown>,
  context: McpContext,
  extra: Extra,
): Promise<CallToolResult> {
  const call: ToolCall = {
    context,
    signal: extra.signal,
    ...(server.server.getClientCapabilities()?.elicitation?.form
      ? { confirm: (message: string) => askHuman(server, message, context, extra) }
      : {}),
    progress: async (progress, message, total) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken === undefined) return;
      try {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress, message, ...(total === undefined ? {} : { total }) },
        });
      } catch (error) {
        // Progress is a courtesy: a client that went away must not fail the work it asked for.
        process.stderr.write(
          `osiris mcp: progress notification for ${tool.name} not sent: ${String(error)}\n`,
        );
      }
    },
  };
  try {
    const value = await tool.run(args, call);
    return toolSuccess(value, await callRedactor(context.projectDir, context.env));
  } catch (error) {
    const redactor = await callRedactor(context.projectDir, context.env);
    if (!isOsirisError(error)) {
      // Unexpected: the model gets E_INTERNAL, the operator the stack on stderr (never stdout,
      // which carries the protocol under stdio).
      const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`osiris mcp: ${tool.name} failed: ${redactor.text(stack)}\n`);
    }
    return toolFailure(error, redactor);
  }
}

/**
 * A confirmation form with no fields: the client shows the message with accept / decline, and
 * the answer comes from the human, not the model. Sent as part of the tool call (relatedRequestId)
 * so streamable HTTP delivers it on that call's stream.
 */
async function askHuman(
  server: McpServer,
  message: string,
  context: McpContext,
  extra: Extra,
): Promise<HumanAnswer> {
  const redactor = await callRedactor(context.projectDir, context.env);
  const result = await server.server.elicitInput(
    { mode: 'form', message: redactor.text(message), requestedSchema: { type: 'object', properties: {} } },
    { relatedRequestId: extra.requestId, signal: extra.signal, timeout: HUMAN_ANSWER_TIMEOUT_MS },
  );
  return result.action;
}
