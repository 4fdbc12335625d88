import {
  type CallWarning,
  type LanguageModel,
  type ModelMessage,
  stepCountIs,
  streamText,
  type Tool,
} from 'ai';
import type { ChatEvent } from '../chat-events.js';

export interface ModelCallMetric {
  step: number;
  input_tokens: number;
  output_tokens: number;
  /** From the request to the end of the step's stream, tool execution excluded. */
  latency_ms: number;
  finish_reason: string;
}

export interface ModelTurnInput {
  model: LanguageModel;
  system: string;
  messages: ModelMessage[];
  tools: Record<string, Tool>;
  maxSteps: number;
  maxRetries: number;
  signal: AbortSignal;
  /** Checked after every step: true ends the loop (e.g. a second invalid proposal). */
  shouldStop: () => boolean;
  emit: (event: ChatEvent) => void;
  /** Milliseconds spent inside tools so far this turn (the tools keep the count). */
  toolTime: () => number;
}

export interface ModelTurnResult {
  text: string;
  /** Assistant and tool messages of every completed step, to append to the history. */
  responseMessages: ModelMessage[];
  calls: ModelCallMetric[];
  error?: unknown;
  aborted: boolean;
}

/**
 * One run of the agent loop against one model: stream text and tool calls to the listener, let
 * the AI SDK execute tools between steps, and keep what completed even when the call fails
 * halfway, so the conversation loses nothing.
 */
export async function runModelTurn(input: ModelTurnInput): Promise<ModelTurnResult> {
  const result: ModelTurnResult = { text: '', responseMessages: [], calls: [], aborted: false };
  // The SDK would print its warnings on the console; they are shown as notices instead, once each.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  const warned = new Set<string>();
  let stepStarted = 0;
  let toolTimeAtStepStart = 0;
  let textOpen = false;
  const endText = () => {
    if (textOpen) input.emit({ type: 'text-end' });
    textOpen = false;
  };

  const stream = streamText({
    model: input.model,
    system: input.system,
    messages: input.messages,
    tools: input.tools,
    stopWhen: [stepCountIs(input.maxSteps), () => input.shouldStop()],
    maxRetries: input.maxRetries,
    abortSignal: input.signal,
    onStepFinish: (step) => {
      result.responseMessages = [...step.response.messages];
    },
    // Errors arrive as stream parts below; the default handler would also print them.
    onError: () => {},
  });

  try {
    for await (const part of stream.fullStream) {
      switch (part.type) {
        case 'start-step':
          stepStarted = performance.now();
          toolTimeAtStepStart = input.toolTime();
          for (const warning of part.warnings) {
            const text = describeWarning(warning);
            if (warned.has(text)) continue;
            warned.add(text);
            input.emit({ type: 'notice', level: 'warning', text: `model provider: ${text}` });
          }
          break;
        case 'text-delta':
          if (part.text.length === 0) break;
          textOpen = true;
          result.text += part.text;
          input.emit({ type: 'text-delta', text: part.text });
          break;
        case 'tool-error':
          // Our tools turn their own failures into results; this is the model sending arguments
          // that do not fit the schema. The SDK tells the model; the user sees a failed line.
          if (!isOwnToolFailure(part.error)) {
            endText();
            input.emit({
              type: 'tool-end',
              id: part.toolCallId,
              tool: part.toolName,
              label: part.toolName,
              summary: `invalid arguments: ${errorText(part.error)}`,
              ok: false,
              durationMs: 0,
            });
          }
          break;
        case 'tool-call':
          endText();
          break;
        case 'finish-step': {
          endText();
          const elapsed = performance.now() - stepStarted - (input.toolTime() - toolTimeAtStepStart);
          result.calls.push({
            step: result.calls.length + 1,
            input_tokens: part.usage.inputTokens ?? 0,
            output_tokens: part.usage.outputTokens ?? 0,
            latency_ms: Math.max(0, Math.round(elapsed)),
            finish_reason: part.finishReason,
          });
          break;
        }
        case 'abort':
          result.aborted = true;
          break;
        case 'error':
          result.error = part.error;
          break;
        default:
          break;
      }
    }
  } catch (error) {
    if (input.signal.aborted) result.aborted = true;
    else result.error = error;
  }
  endText();
  if (input.signal.aborted) result.aborted = true;
  return result;
}

function describeWarning(warning: CallWarning): string {
  if (warning.type === 'other') return warning.message;
  return `${warning.feature} is ${warning.type === 'unsupported' ? 'not supported' : 'used in compatibility mode'}${warning.details ? ` (${warning.details})` : ''}`;
}

function isOwnToolFailure(error: unknown): boolean {
  // Our tool wrapper rethrows only on abort; anything else reaching here is an input problem.
  return error instanceof Error && error.name === 'AbortError';
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const single = text.replace(/\s+/g, ' ');
  return single.length > 160 ? `${single.slice(0, 159)}…` : single;
}
