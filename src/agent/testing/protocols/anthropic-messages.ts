import type { ServerResponse } from 'node:http';
import { contentText, isRecord, type ModelCall, type ModelCallMessage, stringOr } from '../model-call.js';
import type { ScriptedReply } from '../scenario-player.js';
import { splitIntoChunks } from '../split-into-chunks.js';
import { type ServerSentEvent, writeEventStream, writeJson } from './http-writes.js';
import { ProtocolRequestError, type ProviderProtocol, type ReplyContext } from './provider-protocol.js';

/**
 * Anthropic Messages (`POST /v1/messages`). Streaming sends named events: message_start,
 * content_block_start / content_block_delta (text_delta, input_json_delta) / content_block_stop
 * per block, message_delta with stop_reason and output usage, message_stop. Tool calls are
 * `tool_use` blocks; tool results come back as `tool_result` blocks in a user message.
 */
export const anthropicMessagesProtocol: ProviderProtocol = {
  name: 'anthropic-messages',
  toolCallIdPrefix: 'toolu_',
  parseRequest,
  writeReply(response, reply, context) {
    if (context.call.stream) writeEventStream(response, streamEvents(reply, context));
    else writeJson(response, 200, message(reply, context));
  },
  writeError: writeAnthropicError,
};

function writeAnthropicError(response: ServerResponse, status: number, message: string, type?: string): void {
  writeJson(response, status, {
    type: 'error',
    error: { type: type ?? anthropicErrorType(status), message },
  });
}

function anthropicErrorType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

function parseRequest(body: unknown, knownToolNames: ReadonlyMap<string, string>): ModelCall {
  if (!isRecord(body) || !Array.isArray(body.messages)) {
    throw new ProtocolRequestError('a Messages API request needs a "messages" array');
  }
  const messages: ModelCallMessage[] = [];
  const toolResults: ModelCall['toolResults'] = [];
  const toolNamesById = new Map(knownToolNames);
  for (const entry of body.messages) {
    if (!isRecord(entry) || (entry.role !== 'user' && entry.role !== 'assistant')) continue;
    const blocks =
      typeof entry.content === 'string' ? [{ type: 'text', text: entry.content }] : entry.content;
    const texts: string[] = [];
    for (const block of Array.isArray(blocks) ? blocks : []) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
      else if (block.type === 'tool_use') toolNamesById.set(stringOr(block.id, ''), stringOr(block.name, ''));
      else if (block.type === 'tool_result') {
        const toolCallId = stringOr(block.tool_use_id, '');
        toolResults.push({
          toolCallId,
          toolName: toolNamesById.get(toolCallId),
          text: contentText(block.content),
        });
      }
    }
    const text = texts.join('\n');
    if (text.length > 0) messages.push({ role: entry.role, text });
  }
  const tools = (Array.isArray(body.tools) ? body.tools : [])
    .map((tool) => (isRecord(tool) ? tool.name : undefined))
    .filter((name): name is string => typeof name === 'string');
  return {
    protocol: 'anthropic-messages',
    model: stringOr(body.model, ''),
    stream: body.stream === true,
    includeUsage: false,
    system: contentText(body.system),
    messages,
    tools,
    toolResults,
  };
}

function stopReason(reply: ScriptedReply): string {
  return reply.toolCalls.length > 0 ? 'tool_use' : 'end_turn';
}

function message(reply: ScriptedReply, { call, responseNumber }: ReplyContext) {
  return {
    id: `msg_fake_${responseNumber}`,
    type: 'message',
    role: 'assistant',
    model: call.model,
    content: [
      ...(reply.text === undefined ? [] : [{ type: 'text', text: reply.text }]),
      ...reply.toolCalls.map((toolCall) => ({
        type: 'tool_use',
        id: toolCall.id,
        name: toolCall.name,
        input: JSON.parse(toolCall.argumentsJson) as unknown,
      })),
    ],
    stop_reason: stopReason(reply),
    stop_sequence: null,
    usage: { input_tokens: reply.usage.input, output_tokens: reply.usage.output },
  };
}

function streamEvents(reply: ScriptedReply, { call, responseNumber }: ReplyContext): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => {
    events.push({ event: type, data: { type, ...fields } });
  };
  emit('message_start', {
    message: {
      id: `msg_fake_${responseNumber}`,
      type: 'message',
      role: 'assistant',
      model: call.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: reply.usage.input, output_tokens: 1 },
    },
  });
  let index = 0;
  if (reply.text !== undefined) {
    emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
    emit('ping', {});
    for (const piece of splitIntoChunks(reply.text, reply.chunkSize)) {
      emit('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    }
    emit('content_block_stop', { index });
    index += 1;
  }
  for (const toolCall of reply.toolCalls) {
    emit('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: toolCall.id, name: toolCall.name, input: {} },
    });
    for (const piece of splitIntoChunks(toolCall.argumentsJson, reply.chunkSize)) {
      emit('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    emit('content_block_stop', { index });
    index += 1;
  }
  emit('message_delta', {
    delta: { stop_reason: stopReason(reply), stop_sequence: null },
    usage: { output_tokens: reply.usage.output },
  });
  emit('message_stop', {});
  return events;
}
