import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import type { ComponentSpec } from '../spec/component.js';
import { OsirisError } from '../spec/errors.js';
import { createAjv } from './create-ajv.js';

/**
 * One ajv for every step config: all errors at once (the OML validator reports them together),
 * no default filling (the compiler does that explicitly with applyConfigDefaults), and not strict
 * so `x-*` annotation keywords in config schemas pass.
 */
let configAjv: Ajv2020 | undefined;
const validators = new WeakMap<ComponentSpec, ValidateFunction>();

function sharedConfigAjv(): Ajv2020 {
  configAjv ??= createAjv({ allErrors: true, useDefaults: false, strict: false });
  return configAjv;
}

/** Compile a config schema; throws ajv's own error when the schema itself is invalid. */
export function compileConfigSchema(schema: Record<string, unknown>): ValidateFunction {
  return sharedConfigAjv().compile(schema);
}

/** The compiled validator of a spec's `configSchema`, compiled once per spec object. */
export function configSchemaValidator(spec: ComponentSpec): ValidateFunction {
  const cached = validators.get(spec);
  if (cached) return cached;
  let validate: ValidateFunction;
  try {
    validate = compileConfigSchema(spec.configSchema);
  } catch (error) {
    throw new OsirisError(
      'E_SPEC_INVALID',
      `Component ${spec.name}: configSchema is not a valid JSON Schema: ${(error as Error).message}`,
      { cause: error, details: { component: spec.name, path: '/configSchema' } },
    );
  }
  validators.set(spec, validate);
  return validate;
}
