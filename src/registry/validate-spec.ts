import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import { compileConfigSchema } from './config-validator.js';
import { createAjv } from './create-ajv.js';
import { componentSpecSchema } from './spec-schema.js';

const CODE = 'E_SPEC_INVALID';

/** Hints for the rules people get wrong most, keyed by the JSON path of the problem. */
const HINTS: Record<string, string> = {
  '/name': 'use `family.role` in lowercase letters, digits and `_`, e.g. `mysql.extractor`.',
  '/version': 'use a semantic version such as `1.0.0`.',
  '/configSchema/additionalProperties':
    'set `additionalProperties: false` so unknown config keys are rejected instead of silently ignored.',
  '/llmHints/promptGuidance': 'add one paragraph telling the agent when and how to use the component.',
  '/examples': 'add at least one example with `title`, `config` and a complete OML snippet in `oml`.',
};

let specValidator: ValidateFunction | undefined;

function compiledSpecSchema(): ValidateFunction {
  specValidator ??= createAjv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
  }).compile(componentSpecSchema());
  return specValidator;
}

/**
 * Every problem with a component spec, as diagnostics whose `path` is a JSON pointer into the
 * spec: structure (against schemas/component-spec.schema.json), a configSchema that ajv can
 * compile, connection-field policies that name real config keys, and examples whose config is
 * valid. An empty list means the spec is usable.
 */
export function validateSpec(spec: unknown): Diagnostic[] {
  const label = componentLabel(spec);
  const validate = compiledSpecSchema();
  const diagnostics: Diagnostic[] = [];
  if (!validate(spec)) {
    for (const error of validate.errors ?? []) diagnostics.push(fromAjvError(label, error));
  }
  const record = spec as Record<string, unknown>;
  const configSchema = record?.configSchema;
  if (!isRecord(configSchema)) return diagnostics;

  let validateConfig: ValidateFunction;
  try {
    validateConfig = compileConfigSchema(configSchema);
  } catch (error) {
    diagnostics.push(
      problem(label, '/configSchema', `is not a valid JSON Schema: ${(error as Error).message}`),
    );
    return diagnostics;
  }
  diagnostics.push(...checkConfigKeys(label, record, configSchema));
  diagnostics.push(...checkExamples(label, record, validateConfig));
  return diagnostics;
}

function checkConfigKeys(
  label: string,
  spec: Record<string, unknown>,
  configSchema: Record<string, unknown>,
): Diagnostic[] {
  const properties = isRecord(configSchema.properties) ? configSchema.properties : {};
  const diagnostics: Diagnostic[] = [];
  const required = Array.isArray(configSchema.required) ? configSchema.required : [];
  required.forEach((key, index) => {
    if (typeof key === 'string' && !Object.hasOwn(properties, key)) {
      diagnostics.push(
        problem(label, `/configSchema/required/${index}`, `names "${key}", which is not a property`),
      );
    }
  });
  const policies = spec['x-connection-fields'];
  if (Array.isArray(policies)) {
    const seen = new Set<string>();
    policies.forEach((policy, index) => {
      const name = isRecord(policy) ? policy.name : undefined;
      if (typeof name !== 'string') return;
      const path = `/x-connection-fields/${index}/name`;
      if (seen.has(name)) diagnostics.push(problem(label, path, `"${name}" has more than one policy`));
      seen.add(name);
      if (!Object.hasOwn(properties, name)) {
        diagnostics.push(
          problem(label, path, `"${name}" is not a configSchema property`, {
            hint: 'a connection field policy only applies to a key the step config may contain.',
          }),
        );
      }
    });
  }
  return diagnostics;
}

function checkExamples(
  label: string,
  spec: Record<string, unknown>,
  validateConfig: ValidateFunction,
): Diagnostic[] {
  if (!Array.isArray(spec.examples)) return [];
  const diagnostics: Diagnostic[] = [];
  spec.examples.forEach((example, index) => {
    if (!isRecord(example) || !isRecord(example.config)) return;
    if (validateConfig(example.config)) return;
    for (const error of validateConfig.errors ?? []) {
      const where = `/examples/${index}/config${error.instancePath}`;
      diagnostics.push(problem(label, where, `does not match the configSchema: ${describeAjvError(error)}`));
    }
  });
  return diagnostics;
}

function fromAjvError(label: string, error: ErrorObject): Diagnostic {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return problem(label, `${error.instancePath}/${String(params.missingProperty)}`, 'is missing');
  }
  if (error.keyword === 'additionalProperties') {
    return problem(
      label,
      `${error.instancePath}/${String(params.additionalProperty)}`,
      'is not a spec field',
    );
  }
  const path = error.instancePath || '/';
  if (error.keyword === 'pattern' && HINTS[path]) {
    // The hint explains the rule better than the regular expression would.
    return problem(label, path, `is ${JSON.stringify(error.data)}, which is not valid`);
  }
  return problem(label, path, describeAjvError(error));
}

/** ajv's message with the allowed values spelled out, which its default text leaves in params. */
export function describeAjvError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `must be one of: ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (error.keyword === 'required') return `missing required key "${String(params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties') return `unknown key "${String(params.additionalProperty)}"`;
  return error.message ?? error.keyword;
}

function problem(label: string, path: string, what: string, options: { hint?: string } = {}): Diagnostic {
  const hint = options.hint ?? HINTS[path];
  return {
    code: CODE,
    severity: 'error',
    message: `component ${label}: ${path} ${what}`,
    path,
    ...(hint ? { hint } : {}),
  };
}

function componentLabel(spec: unknown): string {
  const name = isRecord(spec) ? spec.name : undefined;
  return typeof name === 'string' && name.length > 0 ? name : '<unnamed>';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
