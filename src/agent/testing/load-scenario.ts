import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { ErrorCodes, OsirisError } from '../../spec/errors.js';
import { type IssuePath, parseScenario } from './parse-scenario.js';
import type { ValidScenario } from './scenario.js';

/** Read and validate a scenario YAML file; errors name the file, line and column. */
export async function loadScenario(path: string): Promise<ValidScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new OsirisError(
      missing ? ErrorCodes.FILE_NOT_FOUND : ErrorCodes.USAGE,
      missing ? `Scenario file not found: ${path}` : `Cannot read scenario file ${path}`,
      { cause: error, details: { path } },
    );
  }
  return parseScenarioText(text, path);
}

/** Validate scenario YAML text; `source` names it in errors. */
export function parseScenarioText(text: string, source: string): ValidScenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const position = lineCounter.linePos(yamlError.pos[0]);
    throw new OsirisError(
      ErrorCodes.USAGE,
      `Invalid YAML in scenario ${source}:${position.line}:${position.col}: ${yamlError.message.split('\n')[0]}`,
      { details: { source, line: position.line, column: position.col } },
    );
  }
  const positionOf = (offset: number) => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  const locate = (path: IssuePath, key?: string) => {
    const parent = document.getIn(path as unknown[], true);
    if (key !== undefined && isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (isScalar(pair?.key) && pair.key.range) return positionOf(pair.key.range[0]);
    }
    // A missing key has no node: point at the closest ancestor that exists.
    for (let length = path.length; length >= 0; length -= 1) {
      const node = document.getIn(path.slice(0, length) as unknown[], true);
      if (isNode(node) && node.range) return positionOf(node.range[0]);
    }
    return undefined;
  };
  return parseScenario(document.toJS(), { source, locate });
}
