import { lastUserMessage, latestToolResult, type ModelCall } from './model-call.js';
import type { StepExpectation, ValidScenarioStep } from './scenario.js';

const EXCERPT_LENGTH = 200;

/** Every way `call` fails `expectation`, as sentences a test failure can show as they are. */
export function findMismatches(expectation: StepExpectation | undefined, call: ModelCall): string[] {
  if (expectation === undefined) return [];
  const problems: string[] = [];
  if (expectation.model !== undefined && call.model !== expectation.model) {
    problems.push(
      `expected model ${quote(expectation.model)} but the request asked for ${quote(call.model)}`,
    );
  }
  for (const text of asList(expectation.systemContains)) {
    if (!call.system.includes(text)) {
      problems.push(`expected the system prompt to contain ${quote(text)}; it was ${excerpt(call.system)}`);
    }
  }
  const userMessage = lastUserMessage(call);
  for (const text of asList(expectation.lastUserMessageContains)) {
    if (userMessage === undefined) {
      problems.push(
        `expected the last user message to contain ${quote(text)} but the request has no user message`,
      );
    } else if (!userMessage.includes(text)) {
      problems.push(
        `expected the last user message to contain ${quote(text)}; it was ${excerpt(userMessage)}`,
      );
    }
  }
  const missingTools = (expectation.toolsInclude ?? []).filter((name) => !call.tools.includes(name));
  if (missingTools.length > 0) {
    problems.push(
      `expected tools ${missingTools.map(quote).join(', ')} to be offered; offered: ${listOrNone(call.tools)}`,
    );
  }
  for (const { tool, text } of asList(expectation.toolResultContains)) {
    const result = latestToolResult(call, tool);
    if (result === undefined) {
      const present = [...new Set(call.toolResults.map((item) => item.toolName ?? '(unknown tool)'))];
      problems.push(
        `expected a result of tool ${quote(tool)} but the request has results from: ${listOrNone(present)}`,
      );
    } else if (!result.text.includes(text)) {
      problems.push(
        `expected the latest result of tool ${quote(tool)} to contain ${quote(text)}; it was ${excerpt(result.text)}`,
      );
    }
  }
  return problems;
}

/**
 * Take the step's captures from the request's tool results: the first group of the pattern when
 * it has one, else the whole match.
 */
export function captureValues(
  capture: ValidScenarioStep['capture'],
  call: ModelCall,
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, source] of Object.entries(capture ?? {})) {
    const tool = typeof source === 'string' ? undefined : source.tool;
    const pattern = typeof source === 'string' ? source : source.pattern;
    const result = latestToolResult(call, tool);
    const from = tool === undefined ? 'the last tool result' : `the latest result of tool ${quote(tool)}`;
    if (result === undefined) {
      problems.push(`capture ${quote(name)}: the request has no tool result to read (${from})`);
      continue;
    }
    const match = new RegExp(pattern).exec(result.text);
    if (match === null) {
      problems.push(
        `capture ${quote(name)}: /${pattern}/ does not match ${from}, which was ${excerpt(result.text)}`,
      );
      continue;
    }
    values[name] = match[1] ?? match[0];
  }
  return { values, problems };
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function excerpt(text: string): string {
  if (text.length === 0) return 'empty';
  return text.length <= EXCERPT_LENGTH ? quote(text) : `${quote(text.slice(0, EXCERPT_LENGTH))}…`;
}

function listOrNone(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
