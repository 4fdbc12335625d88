import { captureValues, findMismatches } from './expectations.js';
import { latestToolResult, type ModelCall } from './model-call.js';
import type { ValidScenario, ValidScenarioStep } from './scenario.js';
import { renderTemplate, renderTemplateDeep, TOOL_RESULT_VARIABLE_PREFIX } from './template.js';

const DEFAULT_CHUNK_SIZE = 8;
const CHARACTERS_PER_TOKEN = 4;

/** A scripted answer with templates rendered and ids assigned, ready for a protocol to write. */
export interface ScriptedReply {
  text: string | undefined;
  toolCalls: { id: string; name: string; argumentsJson: string }[];
  usage: { input: number; output: number };
  chunkSize: number;
}

/** `mismatch` on a reply or error: the request did not match, but the player is not strict. */
export type PlayOutcome =
  | { kind: 'reply'; stepIndex: number; reply: ScriptedReply; mismatch: string | undefined }
  | {
      kind: 'error';
      stepIndex: number;
      status: number;
      message: string;
      type: string | undefined;
      mismatch: string | undefined;
    }
  | { kind: 'mismatch'; stepIndex: number | undefined; message: string };

export interface PlayContext {
  /** Tool call ids are made in the provider's style: `call_` for OpenAI, `toolu_` for Anthropic. */
  toolCallIdPrefix: string;
  /** Used when the step gives no usage: a rough size of the request. */
  estimatedInputTokens: number;
}

export interface ScenarioPlayer {
  play(call: ModelCall, context: PlayContext): PlayOutcome;
  remaining(): number;
  /** Names of the tool calls this player issued, by id: some protocols send results with the id only. */
  readonly toolNamesById: ReadonlyMap<string, string>;
}

/**
 * Walks a scenario one model call at a time. A request that does not match the next step does not
 * consume it (strict), so the failure names the step the agent never reached.
 */
export function createScenarioPlayer(scenario: ValidScenario, options: { strict: boolean }): ScenarioPlayer {
  let position = 0;
  let replies = 0;
  const captured = new Map<string, string>();
  const toolNamesById = new Map<string, string>();
  const total = scenario.steps.length;
  const scenarioLabel =
    scenario.name === undefined ? 'Fake LLM scenario' : `Fake LLM scenario ${JSON.stringify(scenario.name)}`;

  const stepLabel = (stepIndex: number, step: ValidScenarioStep) =>
    `${scenarioLabel}, step ${stepIndex + 1} of ${total}${step.name === undefined ? '' : ` (${step.name})`}`;

  function play(call: ModelCall, context: PlayContext): PlayOutcome {
    const stepIndex = position;
    const step = scenario.steps[stepIndex];
    if (step === undefined) {
      return {
        kind: 'mismatch',
        stepIndex: undefined,
        message: `${scenarioLabel}: all ${total} steps were already used; this request was not scripted`,
      };
    }
    const capture = captureValues(step.capture, call);
    const problems = [...findMismatches(step.expect, call), ...capture.problems];
    const mismatch =
      problems.length === 0 ? undefined : `${stepLabel(stepIndex, step)}: ${problems.join('; ')}`;
    if (mismatch !== undefined && options.strict) return { kind: 'mismatch', stepIndex, message: mismatch };
    for (const [name, value] of Object.entries(capture.values)) captured.set(name, value);

    const lookup = (name: string) =>
      name.startsWith(TOOL_RESULT_VARIABLE_PREFIX)
        ? latestToolResult(call, name.slice(TOOL_RESULT_VARIABLE_PREFIX.length))?.text
        : captured.get(name);
    const { respond } = step;
    if (respond.error !== undefined) {
      position += 1;
      return { kind: 'error', stepIndex, ...respond.error, type: respond.error.type, mismatch };
    }
    const missing: string[] = [];
    const text = respond.text === undefined ? undefined : renderTemplate(respond.text, lookup);
    missing.push(...(text?.missing ?? []));
    replies += 1;
    const toolCalls = (respond.toolCalls ?? []).map((toolCall, index) => ({
      id: toolCall.id ?? `${context.toolCallIdPrefix}fake_${replies}_${index}`,
      name: toolCall.name,
      argumentsJson: JSON.stringify(renderTemplateDeep(toolCall.arguments, lookup, missing)),
    }));
    if (missing.length > 0) {
      return {
        kind: 'mismatch',
        stepIndex,
        message: `${stepLabel(stepIndex, step)}: no value for ${[...new Set(missing)].map((name) => `{{${name}}}`).join(', ')} in this request`,
      };
    }
    position += 1;
    for (const toolCall of toolCalls) toolNamesById.set(toolCall.id, toolCall.name);
    const outputCharacters =
      (text?.text.length ?? 0) + toolCalls.reduce((sum, item) => sum + item.argumentsJson.length, 0);
    return {
      kind: 'reply',
      stepIndex,
      mismatch,
      reply: {
        text: text?.text,
        toolCalls,
        usage: respond.usage ?? {
          input: context.estimatedInputTokens,
          output: Math.max(1, Math.ceil(outputCharacters / CHARACTERS_PER_TOKEN)),
        },
        chunkSize: respond.chunkSize ?? DEFAULT_CHUNK_SIZE,
      },
    };
  }

  return { play, remaining: () => total - position, toolNamesById };
}

/** A rough token count for a request body of this many bytes. */
export function estimateTokens(byteLength: number): number {
  return Math.max(1, Math.ceil(byteLength / CHARACTERS_PER_TOKEN));
}
