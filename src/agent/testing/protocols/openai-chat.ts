import { contentText, isRecord, type ModelCall, type ModelCallMessage, stringOr } from '../model-call.js';
import type { ScriptedReply } from '../scenario-player.js';
import { splitIntoChunks } from '../split-into-chunks.js';
import { type ServerSentEvent, unixSeconds, writeEventStream, writeJson } from './http-writes.js';
import { writeOpenAiError } from './openai-error.js';
import { ProtocolRequestError, type ProviderProtocol, type ReplyContext } from './provider-protocol.js';

/**
 * OpenAI chat completions (`POST /v1/chat/completions`), also spoken by OpenAI-compatible servers
 * (Ollama, vLLM, LM Studio). Streaming sends `chat.completion.chunk` objects ending in `[DONE]`;
 * tool calls stream as `tool_calls` deltas keyed by `index`.
 */
export const openAiChatProtocol: ProviderProtocol = {
  name: 'openai-chat',
  toolCallIdPrefix: 'call_',
  parseRequest,
  writeReply(response, reply, context) {
    if (context.call.stream) writeEventStream(response, streamEvents(reply, context));
    else writeJson(response, 200, completion(reply, context));
  },
  writeError: writeOpenAiError,
};

function parseRequest(body: unknown, knownToolNames: ReadonlyMap<string, string>): ModelCall {
  if (!isRecord(body) || !Array.isArray(body.messages)) {
    throw new ProtocolRequestError('a chat completions request needs a "messages" array');
  }
  const system: string[] = [];
  const messages: ModelCallMessage[] = [];
  const toolResults: ModelCall['toolResults'] = [];
  const toolNamesById = new Map(knownToolNames);
  for (const message of body.messages) {
    if (!isRecord(message)) continue;
    const text = contentText(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(text);
        break;
      case 'user':
        if (text.length > 0) messages.push({ role: 'user', text });
        break;
      case 'assistant':
        if (text.length > 0) messages.push({ role: 'assistant', text });
        for (const toolCall of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
          if (isRecord(toolCall) && typeof toolCall.id === 'string' && isRecord(toolCall.function)) {
            toolNamesById.set(toolCall.id, stringOr(toolCall.function.name, ''));
          }
        }
        break;
      case 'tool': {
        const toolCallId = stringOr(message.tool_call_id, '');
        toolResults.push({ toolCallId, toolName: toolNamesById.get(toolCallId), text });
        break;
      }
    }
  }
  const tools = (Array.isArray(body.tools) ? body.tools : [])
    .map((tool) => (isRecord(tool) && isRecord(tool.function) ? tool.function.name : undefined))
    .filter((name): name is string => typeof name === 'string');
  return {
    protocol: 'openai-chat',
    model: stringOr(body.model, ''),
    stream: body.stream === true,
    includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
    system: system.join('\n'),
    messages,
    tools,
    toolResults,
  };
}

function finishReason(reply: ScriptedReply): string {
  return reply.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

function usage(reply: ScriptedReply) {
  return {
    prompt_tokens: reply.usage.input,
    completion_tokens: reply.usage.output,
    total_tokens: reply.usage.input + reply.usage.output,
  };
}

function completion(reply: ScriptedReply, { call, responseNumber }: ReplyContext) {
  return {
    id: `chatcmpl-fake-${responseNumber}`,
    object: 'chat.completion',
    created: unixSeconds(),
    model: call.model,
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? null,
          refusal: null,
          ...(reply.toolCalls.length > 0
            ? {
                tool_calls: reply.toolCalls.map((toolCall) => ({
                  id: toolCall.id,
                  type: 'function',
                  function: { name: toolCall.name, arguments: toolCall.argumentsJson },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usage(reply),
  };
}

function streamEvents(reply: ScriptedReply, { call, responseNumber }: ReplyContext): ServerSentEvent[] {
  const envelope = {
    id: `chatcmpl-fake-${responseNumber}`,
    object: 'chat.completion.chunk',
    created: unixSeconds(),
    model: call.model,
    system_fingerprint: 'fp_fake',
  };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): ServerSentEvent => ({
    data: {
      ...envelope,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(call.includeUsage ? { usage: null } : {}),
    },
  });
  const events: ServerSentEvent[] = [];
  // Like the real API: a text answer opens with an empty content delta, a tool-only answer with null.
  events.push(chunk({ role: 'assistant', content: reply.text === undefined ? null : '', refusal: null }));
  for (const piece of splitIntoChunks(reply.text ?? '', reply.chunkSize))
    events.push(chunk({ content: piece }));
  reply.toolCalls.forEach((toolCall, index) => {
    events.push(
      chunk({
        tool_calls: [
          { index, id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of splitIntoChunks(toolCall.argumentsJson, reply.chunkSize)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  events.push(chunk({}, finishReason(reply)));
  if (call.includeUsage) {
    events.push({ data: { ...envelope, choices: [], usage: usage(reply) } });
  }
  events.push({ data: '[DONE]' });
  return events;
}
