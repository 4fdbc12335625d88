import { z } from 'zod';
import { TOOL_RESULT_VARIABLE_PREFIX, templateVariableNames } from './template.js';

/**
 * A scenario is the script of a conversation with a fake model: an ordered list of the model
 * calls the agent is expected to make, what each request must contain, and what the "model"
 * answers. Scenarios are protocol-neutral: the same file plays over OpenAI chat completions,
 * the OpenAI Responses API and Anthropic Messages.
 */

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)]);

const toolResultExpectationSchema = z.strictObject({
  tool: z.string().min(1),
  text: z.string(),
});

const expectationSchema = z.strictObject({
  /** The request's model id, exactly. */
  model: z.string().min(1).optional(),
  /** Substrings of the system prompt (all system/developer messages joined). */
  systemContains: oneOrMany(z.string()).optional(),
  /** Substrings of the last user message that has text (tool results are not user messages). */
  lastUserMessageContains: oneOrMany(z.string()).optional(),
  /** Tool names that must be offered to the model in this request. */
  toolsInclude: z.array(z.string().min(1)).optional(),
  /** The most recent result of `tool` in the request contains `text`. */
  toolResultContains: oneOrMany(toolResultExpectationSchema).optional(),
});

const variableNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a capture name is a letter or _ followed by letters, digits or _');

const captureSourceSchema = z.union([
  z.string().min(1),
  z.strictObject({ tool: z.string().min(1), pattern: z.string().min(1) }),
]);

const toolCallSchema = z.strictObject({
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).default({}),
  /** Tool call id to send; generated in the provider's style when absent. */
  id: z.string().min(1).optional(),
});

const usageSchema = z.strictObject({
  input: z.number().int().nonnegative(),
  output: z.number().int().nonnegative(),
});

const errorResponseSchema = z.strictObject({
  status: z.number().int().min(400).max(599),
  message: z.string().min(1),
  /** Provider error type; defaults to the provider's usual type for the status. */
  type: z.string().min(1).optional(),
});

// One flat object rather than a union: a union's validation errors say "invalid input" without
// saying which field is wrong, and scenario authors need to see exactly that.
const responseSchema = z
  .strictObject({
    text: z.string().optional(),
    toolCalls: z.array(toolCallSchema).min(1).optional(),
    error: errorResponseSchema.optional(),
    usage: usageSchema.optional(),
    /** How many characters each streamed text or arguments piece holds. */
    chunkSize: z.number().int().positive().optional(),
  })
  .superRefine((response, context) => {
    if (response.error !== undefined) {
      for (const key of ['text', 'toolCalls', 'usage', 'chunkSize'] as const) {
        if (response[key] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `an error response cannot also have "${key}"`,
          });
        }
      }
    } else if (response.text === undefined && response.toolCalls === undefined) {
      context.addIssue({
        code: 'custom',
        message: 'a response needs "text", "toolCalls" or "error"',
      });
    }
  });

const stepSchema = z
  .strictObject({
    /** A label used in mismatch messages. */
    name: z.string().min(1).optional(),
    expect: expectationSchema.optional(),
    /** Values taken from tool results in this request, usable as {{name}} in this and later responses. */
    capture: z.record(variableNameSchema, captureSourceSchema).optional(),
    respond: responseSchema,
  })
  .superRefine((step, context) => {
    for (const [name, source] of Object.entries(step.capture ?? {})) {
      const pattern = typeof source === 'string' ? source : source.pattern;
      const problem = regexProblem(pattern);
      if (problem !== undefined) {
        context.addIssue({
          code: 'custom',
          path: typeof source === 'string' ? ['capture', name] : ['capture', name, 'pattern'],
          message: `invalid regular expression: ${problem}`,
        });
      }
    }
  });

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    steps: z.array(stepSchema).min(1),
  })
  .superRefine((scenario, context) => {
    // Every {{variable}} must be captured by this step or an earlier one, so a typo fails at load
    // time instead of halfway through a test.
    const captured = new Set<string>();
    scenario.steps.forEach((step, stepIndex) => {
      for (const name of Object.keys(step.capture ?? {})) captured.add(name);
      for (const { path, text } of responseStrings(step.respond)) {
        for (const variable of templateVariableNames(text)) {
          if (variable.startsWith(TOOL_RESULT_VARIABLE_PREFIX) || captured.has(variable)) continue;
          context.addIssue({
            code: 'custom',
            path: ['steps', stepIndex, 'respond', ...path],
            message: `{{${variable}}} is not captured by this step or an earlier one (known: ${describeNames(captured)}; or use {{${TOOL_RESULT_VARIABLE_PREFIX}<tool>}})`,
          });
        }
      }
    });
  });

/** A scenario as written (defaults not yet applied). */
export type Scenario = z.input<typeof scenarioSchema>;
export type ScenarioStep = z.input<typeof stepSchema>;
/** A validated scenario with defaults applied. */
export type ValidScenario = z.output<typeof scenarioSchema>;
export type ValidScenarioStep = z.output<typeof stepSchema>;
export type StepExpectation = z.output<typeof expectationSchema>;
export type StepResponse = z.output<typeof responseSchema>;
export type ScriptedToolCall = z.output<typeof toolCallSchema>;

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function describeNames(names: ReadonlySet<string>): string {
  return names.size === 0 ? 'none' : [...names].join(', ');
}

/** Every string in a response that may hold a template, with its path inside `respond`. */
export function responseStrings(response: StepResponse): { path: (string | number)[]; text: string }[] {
  const found: { path: (string | number)[]; text: string }[] = [];
  if (response.text !== undefined) found.push({ path: ['text'], text: response.text });
  response.toolCalls?.forEach((call, callIndex) => {
    collectStrings(call.arguments, ['toolCalls', callIndex, 'arguments'], found);
  });
  return found;
}

function collectStrings(
  value: unknown,
  path: (string | number)[],
  found: { path: (string | number)[]; text: string }[],
): void {
  if (typeof value === 'string') {
    found.push({ path, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectStrings(item, [...path, index], found);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) collectStrings(item, [...path, key], found);
  }
}
