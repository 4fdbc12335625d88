import type { ErrorObject } from 'ajv/dist/2020.js';
import { closestNames } from '../util/suggest.js';
import { type OmlCode, OmlCodes } from './codes.js';
import { describeType, isRecord, quoteList } from './values.js';

/** A config problem found by the JSON Schema, placed relative to the step's `config`. */
export interface ConfigProblem {
  code: OmlCode;
  path: Array<string | number>;
  message: string;
  hint?: string;
  /** Point at the key (unknown keys) rather than the value. */
  atKey?: boolean;
}

/**
 * Turn ajv errors into one problem per cause. Errors inside `oneOf`/`anyOf` branches are folded
 * into one message about the alternatives (ajv reports every failing branch), and `if` errors
 * are dropped because the `then` error says what is wrong.
 */
export function describeConfigErrors(
  errors: readonly ErrorObject[],
  schema: Record<string, unknown>,
  config: Record<string, unknown>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath) || error.keyword === 'if') continue;
    const problem = describe(error, schema, config);
    if (!problem) continue;
    const key = `${problem.code} ${problem.path.join('/')} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function describe(
  error: ErrorObject,
  schema: Record<string, unknown>,
  config: Record<string, unknown>,
): ConfigProblem | undefined {
  const path = instancePath(error.instancePath, config);
  const where = path.length === 0 ? 'config' : `\`${path.join('.')}\``;
  const node = schemaNode(schema, error.schemaPath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = isRecord(node?.properties) ? Object.keys(node.properties) : [];
      const suggestion = closestNames(key, allowed, 1)[0];
      return {
        code: OmlCodes.CONFIG_UNKNOWN_KEY,
        path: [...path, key],
        atKey: true,
        message: `unknown config key \`${key}\`${path.length > 0 ? ` in ${where}` : ''}`,
        hint: `${suggestion ? `did you mean \`${suggestion}\`? ` : ''}allowed keys: ${quoteList(allowed)}`,
      };
    }
    case 'required': {
      const key = String(error.params.missingProperty);
      const property = isRecord(node?.properties) ? node.properties[key] : undefined;
      const description =
        isRecord(property) && typeof property.description === 'string' ? property.description : undefined;
      return {
        code: OmlCodes.CONFIG_REQUIRED_KEY,
        path,
        message: `${where} is missing the required key \`${key}\``,
        hint: description ? `${key}: ${description}` : `add \`${key}\``,
      };
    }
    case 'type':
      return {
        code: OmlCodes.CONFIG_TYPE,
        path,
        message: `${where} must be ${article(String(error.params.type))}, got ${describeType(valueAt(config, path))}`,
        hint: 'quote strings that look like numbers or booleans; write lists as [a, b]',
      };
    case 'enum':
    case 'const': {
      const allowed: unknown[] =
        error.keyword === 'enum' ? error.params.allowedValues : [error.params.allowedValue];
      return {
        code: OmlCodes.CONFIG_ENUM,
        path,
        message: `${where} is ${JSON.stringify(valueAt(config, path))}, which is not an allowed value`,
        hint: `allowed: ${allowed.map((value) => JSON.stringify(value)).join(', ')}`,
      };
    }
    case 'oneOf':
    case 'anyOf':
      return describeAlternatives(error, node, path, where, config);
    case 'not': {
      const forbidden =
        isRecord(node?.not) && Array.isArray(node.not.required) ? node.not.required.map(String) : undefined;
      if (forbidden) {
        return {
          code: OmlCodes.CONFIG_INVALID,
          path,
          message: `${where} sets ${quoteList(forbidden)} together`,
          hint: `use only one of ${quoteList(forbidden)}`,
        };
      }
      return {
        code: OmlCodes.CONFIG_INVALID,
        path,
        message: `${where} ${error.message ?? 'is not valid'}`,
        hint: "see the key's description in `osiris components show`",
      };
    }
    default:
      return {
        code: OmlCodes.CONFIG_INVALID,
        path,
        message: `${where} ${error.message ?? 'is not valid'}`,
        hint: "see the key's description in `osiris components show`",
      };
  }
}

function describeAlternatives(
  error: ErrorObject,
  node: Record<string, unknown> | undefined,
  path: Array<string | number>,
  where: string,
  config: Record<string, unknown>,
): ConfigProblem {
  const branches = node && Array.isArray(node[error.keyword]) ? (node[error.keyword] as unknown[]) : [];
  const requiredOnly = branches.every(
    (branch) => isRecord(branch) && Array.isArray(branch.required) && Object.keys(branch).length === 1,
  );
  if (branches.length > 0 && requiredOnly) {
    const keys = [
      ...new Set(branches.flatMap((branch) => (branch as { required: unknown[] }).required.map(String))),
    ];
    const value = valueAt(config, path);
    const present = isRecord(value) ? keys.filter((key) => key in value) : [];
    if (present.length === 0) {
      return {
        code: OmlCodes.CONFIG_REQUIRED_KEY,
        path,
        message: `${where} needs one of ${quoteList(keys)}`,
        hint: `set ${error.keyword === 'oneOf' ? 'exactly' : 'at least'} one of ${quoteList(keys)}`,
      };
    }
    return {
      code: OmlCodes.CONFIG_INVALID,
      path,
      message: `${where} sets ${quoteList(present)}; only one of them is allowed`,
      hint: `keep one of ${quoteList(present)}`,
    };
  }
  const forms = branches.map((branch) => (isRecord(branch) ? formOf(branch) : 'value'));
  return {
    code: OmlCodes.CONFIG_TYPE,
    path,
    message: `${where} must be ${forms.length > 0 ? forms.join(' or ') : 'of another form'}, got ${describeType(valueAt(config, path))}`,
    hint: "see the key's description in `osiris components show`",
  };
}

function formOf(branch: Record<string, unknown>): string {
  if (branch.type === 'array')
    return isRecord(branch.items) ? `a list of ${formOf(branch.items)}s` : 'a list';
  if (typeof branch.type === 'string') return article(branch.type);
  if (Array.isArray(branch.enum))
    return `one of ${branch.enum.map((value) => JSON.stringify(value)).join(', ')}`;
  return 'a value of another form';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `/columns/0` → `['columns', 0]`, numbers only where the config holds a list. */
function instancePath(pointer: string, config: unknown): Array<string | number> {
  if (pointer === '') return [];
  const path: Array<string | number> = [];
  let value: unknown = config;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(segment);
      path.push(index);
      value = value[index];
    } else {
      path.push(segment);
      value = isRecord(value) ? value[segment] : undefined;
    }
  }
  return path;
}

function valueAt(config: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = config;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

/** The schema object holding the failed keyword: `#/properties/x/type` → the `properties/x` node. */
function schemaNode(
  schema: Record<string, unknown>,
  schemaPath: string,
): Record<string, unknown> | undefined {
  const segments = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean);
  segments.pop();
  let node: unknown = schema;
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node)) node = node[segment];
    else return undefined;
  }
  return isRecord(node) ? node : undefined;
}
