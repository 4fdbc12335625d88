import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { Diagnostic } from '../spec/diagnostics.js';
import { OmlCodes } from './codes.js';
import { type Position, TextPositions } from './text-positions.js';

/** A path into the document: mapping keys and list indexes. */
export type DocumentPath = ReadonlyArray<string | number>;

/** Where on a mapping entry a diagnostic points: at its key (unknown key) or at its value. */
export type Anchor = 'key' | 'value';

/** A parsed YAML document that can say where any path in it starts. */
export class YamlSource {
  readonly #document: Document.Parsed;
  readonly #positions: TextPositions;

  constructor(document: Document.Parsed, positions: TextPositions) {
    this.#document = document;
    this.#positions = positions;
  }

  get root(): unknown {
    return this.#document.contents;
  }

  /**
   * Position of the node at `path`, or of the deepest existing ancestor when the path does not
   * exist (a missing key is reported at the mapping that should hold it).
   */
  positionOf(path: DocumentPath, anchor: Anchor = 'value'): Position {
    let node: unknown = this.#document.contents;
    let offset = rangeStart(node) ?? 0;
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        if (keyStart !== undefined) offset = keyStart;
        if (last && anchor === 'key') break;
        node = pair.value;
        const valueStart = rangeStart(node);
        if (valueStart === undefined) break;
        offset = valueStart;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        const itemStart = rangeStart(node);
        if (itemStart === undefined) break;
        offset = itemStart;
      } else {
        break;
      }
    }
    return this.#positions.at(offset);
  }
}

/** Aliases may expand at most this often when converting to JS (the "billion laughs" guard). */
export const MAX_ALIAS_EXPANSIONS = 100;

/**
 * Parse YAML text keeping node ranges. Returns the source and its JS value, or the diagnostics
 * that stop validation (syntax errors, duplicate keys, several documents, empty input).
 */
export function parseYamlSource(
  text: string,
  file?: string,
):
  | { source: YamlSource; value: unknown; diagnostics: Diagnostic[] }
  | { diagnostics: Diagnostic[]; source?: undefined } {
  const positions = new TextPositions(text);
  const where = (offset: number): Pick<Diagnostic, 'file' | 'line' | 'column'> => ({
    ...(file === undefined ? {} : { file }),
    ...positions.at(offset),
  });
  const document = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return { diagnostics: document.errors.map((error) => yamlErrorDiagnostic(error, where(error.pos[0]))) };
  }
  if (document.contents === null) {
    return {
      diagnostics: [
        {
          code: OmlCodes.EMPTY_DOCUMENT,
          severity: 'error',
          message: 'the file holds no YAML document',
          hint: 'start from: oml_version: "0.1.0", name: my-pipeline, steps: [...]',
          ...where(0),
        },
      ],
    };
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    return {
      diagnostics: [
        {
          code: OmlCodes.YAML_ALIAS_LIMIT,
          severity: 'error',
          message: `YAML aliases expand too often: ${(error as Error).message}`,
          hint: 'write the values out instead of repeating anchors (*alias)',
          ...where(rangeStart(document.contents) ?? 0),
        },
      ],
    };
  }
  return { source: new YamlSource(document, positions), value, diagnostics: [] };
}

function yamlErrorDiagnostic(
  error: YAMLError,
  where: Pick<Diagnostic, 'file' | 'line' | 'column'>,
): Diagnostic {
  const message = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'DUPLICATE_KEY') {
    return {
      code: OmlCodes.YAML_DUPLICATE_KEY,
      severity: 'error',
      message: 'a mapping has the same key twice',
      hint: 'keep one of them; YAML keys must be unique',
      ...where,
    };
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return {
      code: OmlCodes.YAML_MULTIPLE_DOCUMENTS,
      severity: 'error',
      message: 'the file holds more than one YAML document (`---` separators)',
      hint: 'put one pipeline per file',
      ...where,
    };
  }
  return {
    code: OmlCodes.YAML_SYNTAX,
    severity: 'error',
    message: `YAML syntax error: ${message}`,
    hint: 'check indentation (spaces, not tabs), quotes and colons around this position',
    ...where,
  };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}
