import { MASK, maskUrlPasswords } from '../util/redactor.js';
import { findTemplates } from './env-template.js';
import { isSecretField } from './secret-fields.js';

export const SECRET_MASK = MASK;

/**
 * Whether a field's value is secret: its name says so, or its raw value reads a variable
 * whose name does (`auth: ${API_TOKEN}`).
 */
export function isSecretValue(name: string, rawValue: unknown, extraSecretNames: readonly string[]): boolean {
  if (isSecretField(name, extraSecretNames)) return true;
  return (
    typeof rawValue === 'string' &&
    findTemplates(rawValue).some((template) => isSecretField(template.variable, extraSecretNames))
  );
}

/**
 * Copy raw connection fields with secret values replaced by `***` (at any depth) and URL
 * credentials masked; `showString` decides how the remaining strings appear (as written, or resolved).
 */
export function maskSecretFields(
  fields: Record<string, unknown>,
  extraSecretNames: readonly string[],
  showString: (text: string) => string = (text) => text,
): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    masked[name] =
      isSecretValue(name, value, extraSecretNames) && value !== null && value !== undefined
        ? SECRET_MASK
        : maskValue(value, extraSecretNames, showString);
  }
  return masked;
}

function maskValue(
  value: unknown,
  extraSecretNames: readonly string[],
  showString: (text: string) => string,
): unknown {
  if (typeof value === 'string') return maskUrlPasswords(showString(value));
  if (Array.isArray(value)) return value.map((item) => maskValue(item, extraSecretNames, showString));
  if (typeof value === 'object' && value !== null) {
    return maskSecretFields(value as Record<string, unknown>, extraSecretNames, showString);
  }
  return value;
}
