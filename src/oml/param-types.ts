import { parse } from 'yaml';
import { isRecord } from './values.js';

/** Parameter types OML accepts in `params.<name>.type` (upstream names and their aliases). */
export const PARAM_TYPES = [
  'string',
  'int',
  'integer',
  'number',
  'float',
  'bool',
  'boolean',
  'list',
  'map',
] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

export const PARAM_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isParamType(value: unknown): value is ParamType {
  return typeof value === 'string' && (PARAM_TYPES as readonly string[]).includes(value);
}

/** The type a parameter's values must have: declared, else inferred from its default. */
export function effectiveParamType(definition: { type?: string; default?: unknown }): ParamType | undefined {
  if (isParamType(definition.type)) return definition.type;
  const value = definition.default;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'list';
  if (isRecord(value)) return 'map';
  return undefined;
}

/** Does a typed value (from YAML) have the given type? */
export function matchesParamType(value: unknown, type: ParamType | undefined): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'string':
      return typeof value === 'string';
    case 'int':
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value);
    case 'map':
      return isRecord(value);
  }
}

/**
 * Convert a string from the command line or the environment to the parameter's type.
 * Returns undefined when the text is not a value of that type.
 */
export function coerceParamText(text: string, type: ParamType | undefined): { value: unknown } | undefined {
  switch (type) {
    case undefined:
    case 'string':
      return { value: text };
    case 'int':
    case 'integer':
      return /^[-+]?\d+$/.test(text.trim()) && Number.isSafeInteger(Number(text))
        ? { value: Number(text) }
        : undefined;
    case 'number':
    case 'float': {
      const number = Number(text);
      return text.trim() !== '' && Number.isFinite(number) ? { value: number } : undefined;
    }
    case 'bool':
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true') return { value: true };
      if (lower === 'false') return { value: false };
      return undefined;
    }
    case 'list':
    case 'map': {
      let value: unknown;
      try {
        value = parse(text);
      } catch {
        // Not YAML/JSON at all: the caller reports a type mismatch, which is the useful message.
        return undefined;
      }
      return matchesParamType(value, type) ? { value } : undefined;
    }
  }
}
