import { contentText, isRecord, type ModelCall, type ModelCallMessage, stringOr } from '../model-call.js';
import type { ScriptedReply } from '../scenario-player.js';
import { splitIntoChunks } from '../split-into-chunks.js';
import { type ServerSentEvent, unixSeconds, writeEventStream, writeJson } from './http-writes.js';
import { writeOpenAiError } from './openai-error.js';
import { ProtocolRequestError, type ProviderProtocol, type ReplyContext } from './provider-protocol.js';

/**
 * The OpenAI Responses API (`POST /v1/responses`), which `openai(modelId)` uses by default.
 * Streaming sends typed semantic events (`response.created` … `response.completed`, no `[DONE]`);
 * a tool call is a `function_call` output item whose arguments stream as
 * `response.function_call_arguments.delta`.
 */
export const openAiResponsesProtocol: ProviderProtocol = {
  name: 'openai-responses',
  toolCallIdPrefix: 'call_',
  parseRequest,
  writeReply(response, reply, context) {
    if (context.call.stream) writeEventStream(response, streamEvents(reply, context));
    else writeJson(response, 200, responseObject(reply, context, 'completed'));
  },
  writeError: writeOpenAiError,
};

function parseRequest(body: unknown, knownToolNames: ReadonlyMap<string, string>): ModelCall {
  if (!isRecord(body) || (typeof body.input !== 'string' && !Array.isArray(body.input))) {
    throw new ProtocolRequestError('a Responses API request needs "input" (a string or a list of items)');
  }
  const system: string[] = typeof body.instructions === 'string' ? [body.instructions] : [];
  const messages: ModelCallMessage[] = [];
  const toolResults: ModelCall['toolResults'] = [];
  const toolNamesById = new Map(knownToolNames);
  const items = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
  for (const item of items) {
    if (!isRecord(item)) continue;
    if (item.type === 'function_call') {
      toolNamesById.set(stringOr(item.call_id, ''), stringOr(item.name, ''));
    } else if (item.type === 'function_call_output') {
      const toolCallId = stringOr(item.call_id, '');
      toolResults.push({
        toolCallId,
        toolName: toolNamesById.get(toolCallId),
        text: contentText(item.output),
      });
    } else if (item.type === undefined || item.type === 'message') {
      // Earlier assistant turns often arrive as `item_reference`s to stored items: they carry no text here.
      const text = contentText(item.content);
      if (item.role === 'system' || item.role === 'developer') system.push(text);
      else if ((item.role === 'user' || item.role === 'assistant') && text.length > 0) {
        messages.push({ role: item.role, text });
      }
    }
  }
  const tools = (Array.isArray(body.tools) ? body.tools : [])
    .map((tool) => (isRecord(tool) && tool.type === 'function' ? tool.name : undefined))
    .filter((name): name is string => typeof name === 'string');
  return {
    protocol: 'openai-responses',
    model: stringOr(body.model, ''),
    stream: body.stream === true,
    includeUsage: false,
    system: system.join('\n'),
    messages,
    tools,
    toolResults,
  };
}

interface OutputItemIds {
  responseId: string;
  messageId: string;
  functionCallId: (index: number) => string;
}

function idsFor(responseNumber: number): OutputItemIds {
  return {
    responseId: `resp_fake_${responseNumber}`,
    messageId: `msg_fake_${responseNumber}`,
    functionCallId: (index) => `fc_fake_${responseNumber}_${index}`,
  };
}

function messageItem(id: string, text: string, status: 'in_progress' | 'completed') {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'completed' ? [outputText(text)] : [],
  };
}

function outputText(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function functionCallItem(
  id: string,
  toolCall: ScriptedReply['toolCalls'][number],
  status: 'in_progress' | 'completed',
) {
  return {
    id,
    type: 'function_call',
    status,
    arguments: status === 'completed' ? toolCall.argumentsJson : '',
    call_id: toolCall.id,
    name: toolCall.name,
  };
}

function outputItems(reply: ScriptedReply, ids: OutputItemIds) {
  return [
    ...(reply.text === undefined ? [] : [messageItem(ids.messageId, reply.text, 'completed')]),
    ...reply.toolCalls.map((toolCall, index) =>
      functionCallItem(ids.functionCallId(index), toolCall, 'completed'),
    ),
  ];
}

function responseObject(
  reply: ScriptedReply,
  { call, responseNumber }: ReplyContext,
  status: 'in_progress' | 'completed',
) {
  const ids = idsFor(responseNumber);
  const done = status === 'completed';
  return {
    id: ids.responseId,
    object: 'response',
    created_at: unixSeconds(),
    status,
    error: null,
    incomplete_details: null,
    model: call.model,
    output: done ? outputItems(reply, ids) : [],
    parallel_tool_calls: true,
    tool_choice: 'auto',
    usage: done
      ? {
          input_tokens: reply.usage.input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: reply.usage.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: reply.usage.input + reply.usage.output,
        }
      : null,
  };
}

function streamEvents(reply: ScriptedReply, context: ReplyContext): ServerSentEvent[] {
  const ids = idsFor(context.responseNumber);
  const events: ServerSentEvent[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => {
    events.push({ event: type, data: { type, sequence_number: events.length, ...fields } });
  };
  emit('response.created', { response: responseObject(reply, context, 'in_progress') });
  emit('response.in_progress', { response: responseObject(reply, context, 'in_progress') });
  let outputIndex = 0;
  if (reply.text !== undefined) {
    const text = reply.text;
    const where = { item_id: ids.messageId, output_index: outputIndex, content_index: 0 };
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: messageItem(ids.messageId, text, 'in_progress'),
    });
    emit('response.content_part.added', { ...where, part: outputText('') });
    for (const piece of splitIntoChunks(text, reply.chunkSize)) {
      emit('response.output_text.delta', { ...where, delta: piece, logprobs: [] });
    }
    emit('response.output_text.done', { ...where, text, logprobs: [] });
    emit('response.content_part.done', { ...where, part: outputText(text) });
    emit('response.output_item.done', {
      output_index: outputIndex,
      item: messageItem(ids.messageId, text, 'completed'),
    });
    outputIndex += 1;
  }
  reply.toolCalls.forEach((toolCall, index) => {
    const itemId = ids.functionCallId(index);
    emit('response.output_item.added', {
      output_index: outputIndex,
      item: functionCallItem(itemId, toolCall, 'in_progress'),
    });
    for (const piece of splitIntoChunks(toolCall.argumentsJson, reply.chunkSize)) {
      emit('response.function_call_arguments.delta', {
        item_id: itemId,
        output_index: outputIndex,
        delta: piece,
      });
    }
    emit('response.function_call_arguments.done', {
      item_id: itemId,
      output_index: outputIndex,
      arguments: toolCall.argumentsJson,
    });
    emit('response.output_item.done', {
      output_index: outputIndex,
      item: functionCallItem(itemId, toolCall, 'completed'),
    });
    outputIndex += 1;
  });
  emit('response.completed', { response: responseObject(reply, context, 'completed') });
  return events;
}
