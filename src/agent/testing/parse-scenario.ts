import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { scenarioSchema, type ValidScenario } from './scenario.js';

export type IssuePath = readonly PropertyKey[];

export interface ParseScenarioOptions {
  /** Where the scenario came from (a file path), named in errors. */
  source?: string;
  /**
   * Maps a path inside the document (and, for an unknown key, that key) to a 1-based line and
   * column, when the source has positions.
   */
  locate?: (path: IssuePath, key?: string) => { line: number; column: number } | undefined;
}

/**
 * Validate a scenario given as data. A bare list of steps is accepted as a scenario without a
 * name. Every problem is listed at once, each with its path (and position, when known).
 */
export function parseScenario(input: unknown, options: ParseScenarioOptions = {}): ValidScenario {
  const source = options.source ?? '<scenario>';
  const candidate = Array.isArray(input) ? { steps: input } : input;
  const result = scenarioSchema.safeParse(candidate);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const position = options.locate?.(
      issue.path,
      issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined,
    );
    const where = position === undefined ? source : `${source}:${position.line}:${position.column}`;
    return `${where}: ${formatIssuePath(issue.path)}: ${issue.message}`;
  });
  throw new OsirisError(
    ErrorCodes.USAGE,
    `Invalid fake LLM scenario ${source}:\n  ${problems.join('\n  ')}`,
    {
      hint: 'A scenario is `steps:` — a list of { name?, expect?, capture?, respond: { text | toolCalls | error, usage?, chunkSize? } }.',
      details: { source, problems },
    },
  );
}

export function formatIssuePath(path: IssuePath): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const name = String(segment);
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}
