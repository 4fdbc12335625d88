import { PARAM_NAME_PATTERN } from './param-types.js';
import { isRecord } from './values.js';

const REFERENCE_START = '${params';
const REFERENCE_PATTERN = /^\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/;

export interface ParamReference {
  name: string;
  /** The string is exactly this reference, so the value keeps its type. */
  whole: boolean;
  /** Path of the string value inside the walked value (e.g. `['query']`). */
  path: Array<string | number>;
}

export interface MalformedReference {
  text: string;
  path: Array<string | number>;
}

/** Every `${params.name}` in the string values of `value`, plus references that are malformed. */
export function findParamReferences(value: unknown): {
  references: ParamReference[];
  malformed: MalformedReference[];
} {
  const references: ParamReference[] = [];
  const malformed: MalformedReference[] = [];
  walkStrings(value, [], (text, path) => {
    for (
      let index = text.indexOf(REFERENCE_START);
      index !== -1;
      index = text.indexOf(REFERENCE_START, index + 1)
    ) {
      const match = REFERENCE_PATTERN.exec(text.slice(index));
      if (match?.[1] !== undefined && PARAM_NAME_PATTERN.test(match[1])) {
        references.push({ name: match[1], whole: match[0] === text, path });
      } else malformed.push({ text: text.slice(index, text.indexOf('}', index) + 1 || undefined), path });
    }
  });
  return { references, malformed };
}

/**
 * Replace `${params.name}` references with their values. A string that is exactly one reference
 * takes the parameter's value with its type (a number stays a number); a reference inside a
 * longer string is interpolated as text. References without a value are left as they are
 * (the validator has already reported them).
 */
export function substituteParams(value: unknown, params: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') return substituteString(value, params);
  if (Array.isArray(value)) return value.map((item) => substituteParams(item, params));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteParams(item, params)]),
    );
  }
  return value;
}

function substituteString(text: string, params: Readonly<Record<string, unknown>>): unknown {
  const whole = REFERENCE_PATTERN.exec(text);
  if (whole?.[1] !== undefined && whole[0] === text) {
    const resolved = params[whole[1]];
    return resolved === undefined ? text : resolved;
  }
  return text.replace(/\$\{params\.([A-Za-z_][A-Za-z0-9_]*)\}/g, (reference, name: string) => {
    const resolved = params[name];
    return resolved === undefined || resolved === null ? reference : String(resolved);
  });
}

function walkStrings(
  value: unknown,
  path: Array<string | number>,
  visit: (text: string, path: Array<string | number>) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) walkStrings(item, [...path, index], visit);
  else if (isRecord(value))
    for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visit);
}
