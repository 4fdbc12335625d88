import path from 'node:path';
import type { ResolvedConnection } from '../spec/connection.js';
import { ErrorCodes, OsirisError } from '../spec/errors.js';
import { urlPasswords } from '../util/redactor.js';
import { formatConnectionRef } from './connection-ref.js';
import { expandTemplates } from './env-template.js';
import { isSecretValue } from './mask-secret-fields.js';
import type { RawConnection } from './types.js';

export interface MissingVariable {
  variable: string;
  /** Dotted path of the field that reads it, e.g. `password` or `options.ssl.key`. */
  field: string;
}

/** Every `${VAR}` a connection needs that `env` does not set (and that has no default). */
export function findMissingVariables(
  raw: RawConnection,
  env: Record<string, string | undefined>,
): MissingVariable[] {
  const missing: MissingVariable[] = [];
  resolveValue(raw.fields, env, '', missing);
  return missing;
}

/**
 * Substitute `${VAR}` / `${VAR:-default}` from `env`. The result lives in memory only;
 * a variable that is unset without a default is an E_ENV_VAR_MISSING naming it, the field,
 * the connection and the file.
 */
export function resolveConnection(
  raw: RawConnection,
  env: Record<string, string | undefined>,
  options: { secretNames?: readonly string[] } = {},
): ResolvedConnection {
  const ref = formatConnectionRef(raw.family, raw.alias);
  const missing: MissingVariable[] = [];
  const fields = resolveValue(raw.fields, env, '', missing) as Record<string, unknown>;
  const [first] = missing;
  if (first) throw missingVariableError(raw, first, missing, options.secretNames ?? []);
  return {
    family: raw.family,
    alias: raw.alias,
    ref,
    fields,
    secretFields: secretFieldNames(raw.fields, options.secretNames ?? []),
  };
}

/** Secret values held by a resolved connection (secret fields at any depth, URL passwords), for redaction. */
export function collectSecretValues(connection: ResolvedConnection): string[] {
  const secrets = new Set<string>();
  const visit = (value: unknown, underSecret: boolean): void => {
    if (typeof value === 'string') {
      if (underSecret) secrets.add(value);
      for (const password of urlPasswords(value)) secrets.add(password);
    } else if ((typeof value === 'number' || typeof value === 'bigint') && underSecret) {
      secrets.add(String(value));
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, underSecret);
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, item] of Object.entries(value))
        visit(item, underSecret || connection.secretFields.includes(name));
    }
  };
  visit(connection.fields, false);
  return [...secrets];
}

function secretFieldNames(fields: Record<string, unknown>, secretNames: readonly string[]): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [name, item] of Object.entries(value)) {
        if (isSecretValue(name, item, secretNames)) names.add(name);
        visit(item);
      }
    }
  };
  visit(fields);
  return [...names].sort();
}

function resolveValue(
  value: unknown,
  env: Record<string, string | undefined>,
  fieldPath: string,
  missing: MissingVariable[],
): unknown {
  if (typeof value === 'string') {
    const expanded = expandTemplates(value, env);
    for (const variable of expanded.missing) missing.push({ variable, field: fieldPath });
    return expanded.value;
  }
  if (Array.isArray(value))
    return value.map((item, index) => resolveValue(item, env, `${fieldPath}[${index}]`, missing));
  if (typeof value === 'object' && value !== null) {
    const resolved: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      resolved[name] = resolveValue(item, env, fieldPath ? `${fieldPath}.${name}` : name, missing);
    }
    return resolved;
  }
  return value;
}

function missingVariableError(
  raw: RawConnection,
  first: MissingVariable,
  missing: readonly MissingVariable[],
  secretNames: readonly string[],
): OsirisError {
  const ref = formatConnectionRef(raw.family, raw.alias);
  const where = raw.line === undefined ? raw.file : `${raw.file}:${raw.line}`;
  const others = [...new Set(missing.slice(1).map((entry) => entry.variable))].filter(
    (name) => name !== first.variable,
  );
  const more = others.length > 0 ? ` (also unset: ${others.join(', ')})` : '';
  const dotenv = path.join(path.dirname(raw.file), '.env');
  const fieldName = first.field.split(/[.[]/).pop() ?? first.field;
  const defaultAdvice = isSecretValue(fieldName, `\${${first.variable}}`, secretNames)
    ? ''
    : `, or give a default in the file: \${${first.variable}:-value}`;
  return new OsirisError(
    ErrorCodes.ENV_VAR_MISSING,
    `Environment variable ${first.variable} is not set: field "${first.field}" of connection ${ref} (${where}) needs it${more}`,
    {
      hint: `export ${first.variable}=… in your shell or add a line ${first.variable}=… to ${dotenv}${defaultAdvice}`,
      details: {
        variable: first.variable,
        field: first.field,
        ref,
        alias: raw.alias,
        file: raw.file,
        missing: missing.map((entry) => ({ ...entry })),
      },
    },
  );
}
